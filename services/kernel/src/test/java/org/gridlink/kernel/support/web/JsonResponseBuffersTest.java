package org.gridlink.kernel.support.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.core.ResolvableType;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.MediaType;
import org.springframework.http.codec.json.JacksonJsonEncoder;
import tools.jackson.core.util.BufferRecycler;
import tools.jackson.core.util.RecyclerPool;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every JSON answer a node gives goes through WebFlux's {@link JacksonJsonEncoder}. Spring Framework 7.0.8 (Boot 4.0.7's)
 * took a buffer recycler from Jackson 3's pool for each value and never gave it back, so each answer allocated a fresh
 * recycler and its buffers (spring-framework#37058); the root pom pins 7.0.10, which gives it back.
 */
class JsonResponseBuffersTest {

    record Answer(String caseId, String status) {
    }

    @Test
    void theEncoderGivesItsBufferRecyclerBackSoTheNextAnswerReusesItsBuffers() {
        JsonMapper mapper = JsonMapper.builder().build();
        JacksonJsonEncoder encoder = new JacksonJsonEncoder(mapper);
        RecyclerPool<BufferRecycler> pool = mapper.tokenStreamFactory()._getRecyclerPool();

        for (int i = 0; i < 3; i++) {
            DataBuffer encoded = encoder.encodeValue(new Answer("c-" + i, "REPORTED"),
                    DefaultDataBufferFactory.sharedInstance, ResolvableType.forClass(Answer.class),
                    MediaType.APPLICATION_JSON, Map.of());
            assertThat(encoded.toString(StandardCharsets.UTF_8))
                    .isEqualTo("{\"caseId\":\"c-" + i + "\",\"status\":\"REPORTED\"}");
            DataBufferUtils.release(encoded);
            // one recycler, taken and given back each time: with 7.0.8 the pool stayed empty
            assertThat(pool.pooledCount()).isEqualTo(1);
        }
    }
}
