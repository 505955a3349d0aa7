package org.gridlink.k8s;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The manifests of {@code deploy/k8s} as kustomize would read them: the files its kustomization lists, each YAML
 * document as Kubernetes' own type (fabric8's model) when Kubernetes defines the kind, as a plain tree otherwise (the
 * operators' resources), and the kustomization itself.
 */
final class Manifests {

    static final YAMLMapper YAML = new YAMLMapper();
    private static final Pattern DOCUMENT_START = Pattern.compile("(?m)^---\\s*$");

    /** One resource: the file it is in, its tree, and as Kubernetes' type (a generic resource for an operator's). */
    record Resource(String file, JsonNode tree, HasMetadata typed) {

        String kind() {
            return typed.getKind();
        }

        String name() {
            return typed.getMetadata().getName();
        }
    }

    final Path folder;
    final JsonNode kustomization;
    final List<Resource> resources;

    private Manifests(Path folder, JsonNode kustomization, List<Resource> resources) {
        this.folder = folder;
        this.kustomization = kustomization;
        this.resources = resources;
    }

    static Manifests load(Path folder) throws IOException {
        JsonNode kustomization = YAML.readTree(folder.resolve("kustomization.yaml").toFile());
        KubernetesSerialization serialization = new KubernetesSerialization();
        List<Resource> resources = new ArrayList<>();
        for (JsonNode file : kustomization.path("resources")) {
            resources.addAll(read(serialization, file.asString(), Files.readString(folder.resolve(file.asString()))));
        }
        return new Manifests(folder, kustomization, resources);
    }

    static List<Resource> read(KubernetesSerialization serialization, String file, String text) {
        List<Resource> out = new ArrayList<>();
        for (String document : DOCUMENT_START.split(text)) {
            if (document.lines().allMatch(line -> line.isBlank() || line.stripLeading().startsWith("#"))) {
                continue;
            }
            out.add(new Resource(file, YAML.readTree(document), serialization.unmarshal(document, HasMetadata.class)));
        }
        return out;
    }

    <T extends HasMetadata> List<T> all(Class<T> type) {
        return resources.stream().map(Resource::typed).filter(type::isInstance).map(type::cast).toList();
    }

    <T extends HasMetadata> T one(Class<T> type, String name) {
        return all(type).stream().filter(r -> name.equals(r.getMetadata().getName())).findFirst()
                .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " named " + name));
    }

    /** An operator's resource (read as a tree) by kind and name. */
    Optional<JsonNode> custom(String kind, String name) {
        return resources.stream().filter(r -> r.typed() instanceof GenericKubernetesResource)
                .filter(r -> kind.equals(r.kind()) && name.equals(r.name())).map(Resource::tree).findFirst();
    }

    List<JsonNode> customs(String kind) {
        return resources.stream().filter(r -> r.typed() instanceof GenericKubernetesResource)
                .filter(r -> kind.equals(r.kind())).map(Resource::tree).toList();
    }

    /**
     * Where fabric8 put what Kubernetes' type has no field for (a misspelt or misplaced key): each such key with its
     * path, found by walking the typed object's getters. Empty for a manifest Kubernetes would take as written.
     */
    static List<String> unknownFields(Object typed) {
        List<String> found = new ArrayList<>();
        walk(typed, typed.getClass().getSimpleName(), found, new IdentityHashMap<>());
        return found;
    }

    private static void walk(Object value, String path, List<String> found, Map<Object, Boolean> seen) {
        if (value == null || seen.put(value, true) != null) {
            return;
        }
        if (value instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                walk(item, path + "[" + i++ + "]", found, seen);
            }
            return;
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> walk(v, path + "." + k, found, seen));
            return;
        }
        if (!value.getClass().getPackageName().startsWith("io.fabric8.kubernetes.api.model")) {
            return;
        }
        for (Method getter : value.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers())
                    || !getter.getName().startsWith("get") || getter.getDeclaringClass() == Object.class) {
                continue;
            }
            Object child;
            try {
                child = getter.invoke(value);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(path + "." + getter.getName(), e);
            }
            String name = Character.toLowerCase(getter.getName().charAt(3)) + getter.getName().substring(4);
            if (name.equals("additionalProperties")) {
                if (child instanceof Map<?, ?> extra && !extra.isEmpty()
                        && !(value instanceof GenericKubernetesResource)) {
                    extra.keySet().forEach(k -> found.add(path + "." + k));
                }
            } else if (!name.equals("additionalPropertiesNode")) {
                walk(child, path + "." + name, found, seen);
            }
        }
    }
}
