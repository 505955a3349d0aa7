package org.gridlink.community.patrol;

import io.swagger.v3.oas.models.tags.Tag;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The community node's API document also describes the patrols' tag (the kernel's tags are every node's). */
@Configuration(proxyBeanMethods = false)
class PatrolApiDocs {

    @Bean
    OpenApiCustomizer patrolsTag() {
        return openApi -> openApi.addTagsItem(new Tag().name("patrols").description("Grid workers' patrols (巡查) of"
                + " their grid cells: started, checked in on and ended; a day's patrols and the coverage of the cells."));
    }
}
