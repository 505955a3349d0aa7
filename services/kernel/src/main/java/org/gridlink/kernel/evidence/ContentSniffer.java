package org.gridlink.kernel.evidence;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * What an uploaded file really is, from its first bytes (magic numbers), never from the name or the declared
 * type: JPEG ({@code FF D8 FF}), PNG ({@code 89 50 4E 47 0D 0A 1A 0A}) and PDF ({@code %PDF-}) are accepted.
 */
public final class ContentSniffer {

    /** The kinds of evidence a node keeps, with the content type it serves them as. */
    public enum Kind {
        JPEG("image/jpeg", new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF}),
        PNG("image/png", new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A}),
        PDF("application/pdf", new byte[] {'%', 'P', 'D', 'F', '-'});

        private final String contentType;
        private final byte[] magic;

        Kind(String contentType, byte[] magic) {
            this.contentType = contentType;
            this.magic = magic;
        }

        public String contentType() {
            return contentType;
        }

        boolean matches(byte[] bytes) {
            return bytes.length >= magic.length && Arrays.equals(bytes, 0, magic.length, magic, 0, magic.length);
        }
    }

    /** The file is not a kind this API keeps, or not what it claims to be. */
    public static final class UnsupportedContentException extends RuntimeException {
        public UnsupportedContentException(String message) {
            super(message);
        }
    }

    private ContentSniffer() {
    }

    public static Optional<Kind> sniff(byte[] bytes) {
        return Arrays.stream(Kind.values()).filter(k -> k.matches(bytes)).findFirst();
    }

    /**
     * The file's kind, or a refusal: its bytes are none of the accepted kinds, or they are not what the declared
     * content type says (a declared type that is missing or generic, such as application/octet-stream, is not held
     * against it).
     */
    public static Kind check(String declaredType, byte[] bytes) {
        Kind kind = sniff(bytes).orElseThrow(() -> new UnsupportedContentException(
                "the file is not a JPEG, PNG or PDF (its first bytes say so"
                        + (declaredType == null ? "" : ", whatever its declared type " + declaredType + " says") + ")"));
        String declared = declaredType == null ? "" : declaredType.toLowerCase(Locale.ROOT).split(";")[0].trim();
        boolean generic = declared.isEmpty() || declared.equals("application/octet-stream");
        boolean sameKind = declared.equals(kind.contentType()) || (kind == Kind.JPEG && declared.equals("image/jpg"));
        if (!generic && !sameKind) {
            throw new UnsupportedContentException("the file claims to be " + declared + " but its bytes are a "
                    + kind.name() + " (" + kind.contentType() + ")");
        }
        return kind;
    }
}
