package dev.weir.store.e2e;

import dev.weir.store.StoreTestCredentials;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.net.InetSocketAddress;
import java.net.URI;

/** A real AWS SDK v2 client pointed at a store on loopback. */
final class SdkClients {
    private SdkClients() {}

    static DynamoDbClient to(InetSocketAddress address) {
        return DynamoDbClient.builder()
                .endpointOverride(URI.create("http://127.0.0.1:" + address.getPort()))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        StoreTestCredentials.CREDENTIALS.accessKeyId(), StoreTestCredentials.CREDENTIALS.secretAccessKey())))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }
}
