package org.gridlink.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.gridlink.kernel.config.GridlinkProperties;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Reads {@code deploy/k8s} as a cluster would take it, without one: every resource Kubernetes defines is read as its
 * own type and must have no field that type lacks (a misspelt key is silently dropped by a lenient reader, and by
 * {@code kubectl apply} with client-side validation off), and the parts must fit together and fit the apps: each tier
 * on its own port and its own database, the gateway routing to every tier, the shared settings binding to the apps'
 * settings, every selector and reference pointing at something, every container bounded, probed and unprivileged.
 */
class ManifestsTest {

    static final Path K8S = Path.of("").toAbsolutePath();
    static final Path ROOT = K8S.resolve("../..").normalize();
    static final List<String> TIERS = List.of("community", "township", "district", "city");
    static final Set<String> OPERATOR_KINDS = Set.of("postgresql.cnpg.io/v1/Cluster", "kafka.strimzi.io/v1beta2/Kafka",
            "kafka.strimzi.io/v1beta2/KafkaNodePool");
    static final String COMMON = "gridlink-common";

    static Manifests manifests;
    static Map<String, String> common;

    @BeforeAll
    static void load() throws IOException {
        manifests = Manifests.load(K8S);
        common = new HashMap<>();
        for (JsonNode generator : manifests.kustomization.path("configMapGenerator")) {
            if (generator.path("name").asString().equals(COMMON)) {
                for (JsonNode literal : generator.path("literals")) {
                    String[] kv = literal.asString().split("=", 2);
                    common.put(kv[0], kv[1]);
                }
            }
        }
    }

    @Test
    void theAlertsApplyApartIntoTheSameNamespace() throws IOException {
        // apart, because a PrometheusRule needs the Prometheus Operator, which kubectl apply -k deploy/k8s does not
        Path folder = K8S.resolve("monitoring");
        Manifests monitoring = Manifests.load(folder);
        assertThat(monitoring.kustomization.path("namespace").asString()).isEqualTo("gridlink");
        List<String> listed = new ArrayList<>();
        monitoring.kustomization.path("resources").forEach(r -> listed.add(r.asString()));
        try (Stream<Path> files = Files.list(folder)) {
            assertThat(listed).containsExactlyInAnyOrderElementsOf(files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".yaml") && !n.equals("kustomization.yaml")).toList());
        }
        JsonNode rule = monitoring.custom("PrometheusRule", "gridlink").orElseThrow();
        assertThat(rule.path("apiVersion").asString()).isEqualTo("monitoring.coreos.com/v1");
        assertThat(rule.path("spec").path("groups").size()).isGreaterThan(0);
        assertThat(manifests.kustomization.path("resources").toString()).doesNotContain("monitoring");
    }

    @Test
    void theKustomizationListsEveryManifestHereAndEachOnce() throws IOException {
        List<String> listed = new ArrayList<>();
        manifests.kustomization.path("resources").forEach(r -> listed.add(r.asString()));
        try (Stream<Path> files = Files.list(K8S)) {
            List<String> present = files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".yaml") && !n.equals("kustomization.yaml")).sorted().toList();
            assertThat(listed).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(present);
        }
        assertThat(manifests.kustomization.path("namespace").asString()).isEqualTo("gridlink");
        assertThat(manifests.all(Namespace.class))
                .extracting(n -> n.getMetadata().getName()).containsExactly("gridlink");
    }

    @Test
    void everyResourceKubernetesDefinesIsReadAsItsTypeWithNothingLeftOver() {
        assertThat(manifests.resources).hasSizeGreaterThan(20);
        for (Manifests.Resource r : manifests.resources) {
            String what = r.file() + ": " + r.typed().getApiVersion() + "/" + r.kind() + " " + r.name();
            if (r.typed() instanceof GenericKubernetesResource) {
                assertThat(OPERATOR_KINDS).as(what + " is not a Kubernetes type nor an operator's we use")
                        .contains(r.typed().getApiVersion() + "/" + r.kind());
            } else {
                assertThat(Manifests.unknownFields(r.typed())).as(what + ": fields its type does not have").isEmpty();
            }
            assertThat(r.name()).as(what).isNotBlank();
        }
    }

    @Test
    void aMisspeltFieldIsFound() {
        String manifest = """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: x
                spec:
                  replica: 2
                  template:
                    spec:
                      containers:
                        - name: x
                          image: x
                          livenesProbe: {}
                """;
        List<Manifests.Resource> read = Manifests.read(new KubernetesSerialization(), "x.yaml", manifest);
        assertThat(read).singleElement().extracting(Manifests.Resource::typed).isInstanceOf(Deployment.class);
        assertThat(Manifests.unknownFields(read.get(0).typed()))
                .containsExactlyInAnyOrder("Deployment.spec.replica",
                        "Deployment.spec.template.spec.containers[0].livenesProbe");
    }

    @Test
    void eachTierRunsItsOwnNodeOnItsOwnPortAndItsOwnDatabase() throws IOException {
        for (String tier : TIERS) {
            JsonNode settings = Manifests.YAML.readTree(
                    ROOT.resolve("services/" + tier + "/src/main/resources/" + tier + ".yml").toFile());
            int port = settings.path("server").path("port").asInt();
            String database = settings.path("gridlink").path("database").path("name").asString();
            Deployment deployment = manifests.one(Deployment.class, tier);
            Container node = only(deployment);
            assertThat(node.getImage()).isEqualTo("gridlink/" + tier);
            assertThat(env(node, "SERVER_PORT").getValue()).isEqualTo(Integer.toString(port));
            assertThat(node.getPorts()).singleElement().satisfies(p -> {
                assertThat(p.getName()).isEqualTo("http");
                assertThat(p.getContainerPort()).isEqualTo(port);
            });
            Service service = manifests.one(Service.class, tier);
            assertThat(service.getSpec().getPorts()).singleElement().satisfies(p -> {
                assertThat(p.getPort()).isEqualTo(port);
                assertThat(p.getTargetPort().getStrVal()).isEqualTo("http");
            });

            String cluster = "gridlink-" + tier + "-db";
            for (String name : List.of("HOST", "PORT", "NAME", "USERNAME", "PASSWORD")) {
                EnvVar var = env(node, "GRIDLINK_DATABASE_" + name);
                assertThat(var.getValueFrom().getSecretKeyRef().getName()).as(tier + " " + name)
                        .isEqualTo(cluster + "-app");
            }
            JsonNode db = manifests.custom("Cluster", cluster)
                    .orElseThrow(() -> new AssertionError("no database cluster " + cluster + " for " + tier));
            assertThat(db.path("spec").path("bootstrap").path("initdb").path("database").asString())
                    .as("the database " + tier + "'s settings name").isEqualTo(database);
            assertThat(db.path("spec").path("instances").asInt()).as(cluster + " survives losing an instance")
                    .isGreaterThanOrEqualTo(2);
            assertThat(node.getEnvFrom()).singleElement()
                    .satisfies(from -> assertThat(from.getConfigMapRef().getName()).isEqualTo(COMMON));
            assertThat(deployment.getSpec().getReplicas()).as(tier + " replicas").isGreaterThanOrEqualTo(2);
        }
        assertThat(manifests.customs("Cluster")).hasSize(TIERS.size());
    }

    @Test
    void theGatewayRoutesEveryTierItKnowsToThatTiersService() throws IOException {
        JsonNode gateway = Manifests.YAML.readTree(ROOT.resolve("gateway/src/main/resources/gateway.yml").toFile());
        Set<String> known = new TreeSet<>();
        gateway.path("gridlink").path("gateway").path("nodes").propertyNames().forEach(known::add);
        assertThat(known).containsExactlyInAnyOrderElementsOf(TIERS);
        Container container = only(manifests.one(Deployment.class, "gateway"));
        for (String tier : TIERS) {
            ServicePort port = manifests.one(Service.class, tier).getSpec().getPorts().get(0);
            assertThat(env(container, "GRIDLINK_GATEWAY_NODES_" + tier.toUpperCase(Locale.ROOT)).getValue())
                    .isEqualTo("http://" + tier + ":" + port.getPort());
        }
        assertThat(env(container, "SERVER_PORT").getValue())
                .isEqualTo(Integer.toString(gateway.path("server").path("port").asInt()));
    }

    @Test
    void theSharedSettingsAreTheComposeFilesOrBindToTheNodesSettings() throws IOException {
        JsonNode compose = Manifests.YAML.readTree(ROOT.resolve("docker-compose.yml").toFile());
        Set<String> composeEnv = new TreeSet<>();
        compose.path("x-node-env").propertyNames().forEach(composeEnv::add);
        // the nodes' own settings bound from these as environment variables, as Spring Boot binds them at start-up
        GridlinkProperties bound = new Binder(ConfigurationPropertySources.from(
                new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                        new HashMap<>(common))))
                .bindOrCreate("gridlink", GridlinkProperties.class);
        Map<String, Integer> topics = Map.of("GRIDLINK_TOPICS_REPLICAS", (int) bound.topics().replicas(),
                "GRIDLINK_TOPICS_PARTITIONS", bound.topics().partitions());
        Set<String> jvm = Set.of("JAVA_TOOL_OPTIONS", "BPL_JVM_THREAD_COUNT");
        Set<String> logging = Set.of("LOGGING_STRUCTURED_FORMAT_CONSOLE");
        assertThat(common).isNotEmpty();
        for (String key : common.keySet()) {
            assertThat(composeEnv.contains(key) || topics.containsKey(key) || jvm.contains(key) || logging.contains(key))
                    .as(key + " is neither docker-compose's nor one of the nodes' topic settings").isTrue();
        }
        // every app logs JSON lines in a format Spring Boot writes (Elastic Common Schema), the nodes through envFrom,
        // the gateway and the identity service by name
        assertThat(common.get("LOGGING_STRUCTURED_FORMAT_CONSOLE")).isIn("ecs", "gelf", "logstash");
        assertThat(manifests.all(Deployment.class)).extracting(d -> d.getMetadata().getName())
                .containsAll(TIERS).contains("gateway", "identity");
        for (Deployment d : manifests.all(Deployment.class)) {
            for (Container c : d.getSpec().getTemplate().getSpec().getContainers()) {
                boolean structured = !c.getEnvFrom().isEmpty() || c.getEnv().stream().anyMatch(e ->
                        e.getName().equals("LOGGING_STRUCTURED_FORMAT_CONSOLE"));
                assertThat(structured).as(d.getMetadata().getName() + " logs structured lines").isTrue();
            }
        }
        topics.forEach((key, value) -> assertThat(value).as(key + " as the nodes bind it")
                .isEqualTo(Integer.parseInt(common.get(key))));

        // the bootstrap address is the Strimzi cluster's, on its plain listener
        JsonNode kafka = manifests.customs("Kafka").get(0);
        JsonNode plain = stream(kafka.path("spec").path("kafka").path("listeners"))
                .filter(l -> !l.path("tls").asBoolean()).findFirst().orElseThrow();
        assertThat(common.get("SPRING_KAFKA_BOOTSTRAP_SERVERS"))
                .isEqualTo(kafka.path("metadata").path("name").asString() + "-kafka-bootstrap:"
                        + plain.path("port").asInt());

        // topics: no more replicas than brokers, and enough partitions for every node replica's listener threads
        int brokers = manifests.customs("KafkaNodePool").stream()
                .filter(p -> stream(p.path("spec").path("roles")).anyMatch(r -> r.asString().equals("broker")))
                .mapToInt(p -> p.path("spec").path("replicas").asInt()).sum();
        assertThat((int) bound.topics().replicas()).isBetween(2, brokers);
        int threads = bound.topics().listenerConcurrency();
        for (String tier : TIERS) {
            assertThat(bound.topics().partitions())
                    .as("partitions for every listener thread of " + tier)
                    .isGreaterThanOrEqualTo(manifests.one(Deployment.class, tier).getSpec().getReplicas() * threads);
        }

        // every reference to the shared settings names one of them
        for (Deployment d : manifests.all(Deployment.class)) {
            for (Container c : d.getSpec().getTemplate().getSpec().getContainers()) {
                c.getEnvFrom().forEach(from -> assertThat(from.getConfigMapRef().getName()).isEqualTo(COMMON));
                c.getEnv().stream()
                        .filter(e -> e.getValueFrom() != null && e.getValueFrom().getConfigMapKeyRef() != null)
                        .forEach(e -> {
                            assertThat(e.getValueFrom().getConfigMapKeyRef().getName()).isEqualTo(COMMON);
                            assertThat(common).as(d.getMetadata().getName() + " " + e.getName())
                                    .containsKey(e.getValueFrom().getConfigMapKeyRef().getKey());
                        });
            }
        }
    }

    @Test
    void everyContainerIsBoundedProbedAndUnprivileged() {
        assertThat(manifests.all(Deployment.class)).hasSize(TIERS.size() + 2);
        for (Deployment d : manifests.all(Deployment.class)) {
            String name = d.getMetadata().getName();
            PodSpec pod = d.getSpec().getTemplate().getSpec();
            assertThat(pod.getSecurityContext().getRunAsNonRoot()).as(name).isTrue();
            assertThat(pod.getSecurityContext().getSeccompProfile().getType()).as(name).isEqualTo("RuntimeDefault");
            for (Container c : pod.getContainers()) {
                assertThat(c.getResources().getRequests()).as(name).containsKeys("cpu", "memory");
                assertThat(c.getResources().getLimits()).as(name).containsKey("memory");
                for (Probe probe : Arrays.asList(c.getReadinessProbe(), c.getLivenessProbe(), c.getStartupProbe())) {
                    assertThat(probe).as(name + ": readiness, liveness and start-up probes").isNotNull();
                    assertThat(probe.getHttpGet().getPath()).as(name).startsWith("/actuator/health/");
                    assertThat(probe.getHttpGet().getPort().getStrVal()).as(name).isEqualTo("http");
                }
                assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/actuator/health/readiness");
                assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/actuator/health/liveness");
                assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).as(name).isFalse();
                assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).as(name).isTrue();
                assertThat(c.getSecurityContext().getCapabilities().getDrop()).as(name).containsExactly("ALL");
                assertThat(c.getVolumeMounts()).as(name + " writes its temporary files somewhere")
                        .anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo("/tmp"));
                c.getVolumeMounts().forEach(m -> assertThat(pod.getVolumes()).extracting(Volume::getName)
                        .as(name).contains(m.getName()));
            }
        }
    }

    @Test
    void everySelectorAndReferencePointsAtSomething() {
        List<Map<String, String>> pods = manifests.all(Deployment.class).stream()
                .map(d -> d.getSpec().getTemplate().getMetadata().getLabels()).toList();
        Set<String> clusters = new TreeSet<>();
        manifests.customs("Cluster").forEach(c -> clusters.add(c.path("metadata").path("name").asString()));

        for (Deployment d : manifests.all(Deployment.class)) {
            assertThat(selects(d.getSpec().getSelector().getMatchLabels(), d.getSpec().getTemplate().getMetadata()
                    .getLabels())).as(d.getMetadata().getName() + "'s selector selects its own pods").isTrue();
            d.getSpec().getTemplate().getSpec().getVolumes().stream().filter(v -> v.getPersistentVolumeClaim() != null)
                    .forEach(v -> manifests.one(PersistentVolumeClaim.class,
                            v.getPersistentVolumeClaim().getClaimName()));
        }
        for (Service s : manifests.all(Service.class)) {
            assertThat(pods).as("service " + s.getMetadata().getName())
                    .anyMatch(l -> selects(s.getSpec().getSelector(), l));
        }
        for (PodDisruptionBudget b : manifests.all(PodDisruptionBudget.class)) {
            assertThat(pods).as("budget " + b.getMetadata().getName())
                    .anyMatch(l -> selects(b.getSpec().getSelector().getMatchLabels(), l));
        }
        for (HorizontalPodAutoscaler h : manifests.all(HorizontalPodAutoscaler.class)) {
            manifests.one(Deployment.class, h.getSpec().getScaleTargetRef().getName());
        }
        for (NetworkPolicy p : manifests.all(NetworkPolicy.class)) {
            Map<String, String> selector = p.getSpec().getPodSelector().getMatchLabels();
            String cluster = selector.get("cnpg.io/cluster");
            if (cluster != null) {
                assertThat(clusters).as("policy " + p.getMetadata().getName()).contains(cluster);
            } else {
                assertThat(pods).as("policy " + p.getMetadata().getName()).anyMatch(l -> selects(selector, l));
            }
            p.getSpec().getIngress().forEach(rule -> rule.getFrom().stream().map(peer -> peer.getPodSelector())
                    .filter(sel -> sel != null && !sel.getMatchLabels().containsKey("cnpg.io/cluster"))
                    .forEach(sel -> assertThat(pods).as("a peer of " + p.getMetadata().getName())
                            .anyMatch(l -> selects(sel.getMatchLabels(), l))));
        }
        // a tier's database takes connections from that tier's node and no other
        for (String tier : TIERS) {
            NetworkPolicy p = manifests.one(NetworkPolicy.class, tier + "-db");
            assertThat(p.getSpec().getPodSelector().getMatchLabels())
                    .containsEntry("cnpg.io/cluster", "gridlink-" + tier + "-db");
            List<LabelSelector> nodes = p.getSpec().getIngress().stream().flatMap(r -> r.getFrom().stream())
                    .map(peer -> peer.getPodSelector())
                    .filter(s -> s != null && s.getMatchLabels().containsKey("app.kubernetes.io/name"))
                    .toList();
            assertThat(nodes).singleElement().satisfies(s -> assertThat(s.getMatchLabels())
                    .containsEntry("app.kubernetes.io/name", tier)
                    .containsEntry("app.kubernetes.io/component", "node"));
        }
        for (Ingress ingress : manifests.all(Ingress.class)) {
            for (IngressRule rule : ingress.getSpec().getRules()) {
                for (HTTPIngressPath path : rule.getHttp().getPaths()) {
                    Service s = manifests.one(Service.class, path.getBackend().getService().getName());
                    assertThat(s.getSpec().getPorts()).extracting(ServicePort::getName)
                            .contains(path.getBackend().getService().getPort().getName());
                }
            }
        }
        // the issuer the apps check is the identity provider's address at the ingress
        String issuerHost = common.get("GRIDLINK_SECURITY_ISSUER").replaceFirst("^https://", "");
        assertThat(manifests.all(Ingress.class).get(0).getSpec().getRules()).anySatisfy(r -> {
            assertThat(r.getHost()).isEqualTo(issuerHost);
            assertThat(r.getHttp().getPaths().get(0).getBackend().getService().getName()).isEqualTo("identity");
        });
        // the broker takes connections from the nodes
        JsonNode peers = manifests.customs("Kafka").get(0).path("spec").path("kafka").path("listeners").get(0)
                .path("networkPolicyPeers");
        assertThat(stream(peers).map(peer -> peer.path("podSelector").path("matchLabels")
                .path("app.kubernetes.io/component").asString())).containsExactly("node");
    }

    private static boolean selects(Map<String, String> selector, Map<String, String> labels) {
        return selector != null && !selector.isEmpty() && labels.entrySet().containsAll(selector.entrySet());
    }

    private static Container only(Deployment d) {
        assertThat(d.getSpec().getTemplate().getSpec().getContainers()).hasSize(1);
        return d.getSpec().getTemplate().getSpec().getContainers().get(0);
    }

    private static EnvVar env(Container c, String name) {
        return c.getEnv().stream().filter(e -> e.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(c.getName() + " does not set " + name));
    }

    private static Stream<JsonNode> stream(JsonNode array) {
        List<JsonNode> items = new ArrayList<>();
        array.forEach(items::add);
        return items.stream();
    }
}
