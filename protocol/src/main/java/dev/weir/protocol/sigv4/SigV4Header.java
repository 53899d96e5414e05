package dev.weir.protocol.sigv4;

import dev.weir.protocol.error.DynamoError;

/**
 * How DynamoDB answers an Authorization header that does not start with {@code AWS4-HMAC-SHA256 }
 * (as dynalite's tests record DynamoDB's answers): a header that does not even start with
 * {@code AWS4-} is no token at all (MissingAuthenticationTokenException); one that does is an
 * IncompleteSignatureException naming every missing part (Credential, Signature,
 * SignedHeaders, a date header) and quoting the header, or, when nothing is missing, naming the
 * unsupported algorithm.
 */
final class SigV4Header {
    private SigV4Header() {}

    static DynamoError notTheAlgorithm(String authorization, boolean hasDate) {
        String trimmed = authorization.strip();
        if (!trimmed.startsWith("AWS4-")) return DynamoError.missingAuthenticationToken();
        int space = 0;
        while (space < trimmed.length() && !Character.isWhitespace(trimmed.charAt(space))) space++;
        String algorithm = trimmed.substring(0, space);
        boolean credential = false, signature = false, signedHeaders = false;
        for (String part : trimmed.substring(space).split("[, ]")) {
            int eq = part.indexOf('=');
            if (eq <= 0 || eq == part.length() - 1) continue;
            switch (part.substring(0, eq)) {
                case "Credential" -> credential = true;
                case "Signature" -> signature = true;
                case "SignedHeaders" -> signedHeaders = true;
                default -> { }
            }
        }
        StringBuilder missing = new StringBuilder();
        if (!credential) missing.append("Authorization header requires 'Credential' parameter. ");
        if (!signature) missing.append("Authorization header requires 'Signature' parameter. ");
        if (!signedHeaders) missing.append("Authorization header requires 'SignedHeaders' parameter. ");
        if (!hasDate) missing.append("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. ");
        if (!missing.isEmpty()) return DynamoError.incompleteSignature(missing + "Authorization=" + authorization);
        return DynamoError.incompleteSignature("Unsupported AWS 'algorithm': '" + algorithm + "' (only AWS4-HMAC-SHA256 for now). ");
    }
}
