package org.gridlink.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The broker is a real process: what it acknowledged survives kill -9, and it comes back on the same ports. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class KafkaBrokerIT {

    private static final Duration READY = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void acknowledgedMessagesSurviveAKillAndArriveExactlyOnce() throws Exception {
        try (KafkaBroker broker = KafkaBroker.start(dir.resolve("kafka"), 0)) {
            broker.awaitReady(READY);
            String bootstrap = broker.bootstrapServers();
            createTopic(bootstrap, "survivors");

            try (KafkaProducer<String, String> producer = producer(bootstrap)) {
                List<Future<RecordMetadata>> acks = new ArrayList<>();
                for (int i = 0; i < 100; i++) {
                    acks.add(producer.send(new ProducerRecord<>("survivors", "key-" + (i % 7), "message-" + i)));
                }
                for (Future<RecordMetadata> ack : acks) {
                    assertThat(ack.get(30, TimeUnit.SECONDS).hasOffset()).isTrue();
                }
            }

            long pid = broker.pid();
            broker.kill();
            assertThat(broker.isAlive()).isFalse();
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();

            broker.restart();
            broker.awaitReady(READY);
            assertThat(broker.pid()).isNotEqualTo(pid);
            assertThat(broker.bootstrapServers()).isEqualTo(bootstrap);

            List<String> received = consumeAll(bootstrap, "survivors", 100);
            assertThat(received).hasSize(100)
                    .containsExactlyInAnyOrderElementsOf(IntStream.range(0, 100).mapToObj(i -> "message-" + i).toList());
        }
    }

    @Test
    void aPausedBrokerAnswersNothingUntilResumedAndStopsGracefully() throws Exception {
        KafkaBroker broker = KafkaBroker.start(dir.resolve("kafka"), 0);
        try {
            broker.awaitReady(READY);
            broker.pause();
            try (Admin admin = admin(broker.bootstrapServers())) {
                assertThatThrownBy(() -> admin.listTopics().names().get(3, TimeUnit.SECONDS))
                        .isInstanceOf(java.util.concurrent.TimeoutException.class);
                broker.resume();
                assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).isNotNull();
            }
            long started = System.nanoTime();
            broker.stop();
            assertThat(broker.isAlive()).isFalse();
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(30));

            broker.restart(); // after a clean stop, on the same data, without formatting again
            broker.awaitReady(READY);
            assertThat(broker.log()).content().containsOnlyOnce("Formatting metadata directory");
        } finally {
            broker.close();
        }
    }

    private static void createTopic(String bootstrap, String topic) throws Exception {
        try (Admin admin = admin(bootstrap)) {
            admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
    }

    private static Admin admin(String bootstrap) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000));
    }

    private static KafkaProducer<String, String> producer(String bootstrap) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        return new KafkaProducer<>(p);
    }

    /** Reads until {@code expected} records came, then a little longer so that a duplicate would show. */
    private static List<String> consumeAll(String bootstrap, String topic, int expected) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "kafka-broker-it");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(45);
            while (values.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(r -> values.add(r.value()));
            }
            for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofSeconds(2))) {
                values.add(r.value());
            }
        }
        return values;
    }
}
