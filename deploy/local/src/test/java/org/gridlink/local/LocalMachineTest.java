package org.gridlink.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The ports the launchers hand to servers before they start: free, different, and never an outgoing connection's. */
class LocalMachineTest {

    @Test
    void portsForServersAreDifferentFreeAndBelowTheEphemeralRange() throws IOException {
        for (int round = 0; round < 20; round++) {
            int[] ports = LocalMachine.freePortsForServers(4);
            assertThat(ports).hasSize(4).doesNotHaveDuplicates();
            assertThat(Arrays.stream(ports)).allSatisfy(port -> assertThat(port)
                    .isBetween(20_000, 27_999)
                    .isLessThan(LocalMachine.ephemeralRangeStart()));
            // free: each can be bound on the loopback address now
            for (int port : ports) {
                try (ServerSocket s = new ServerSocket()) {
                    s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                }
            }
        }
    }

    @Test
    void aPortSomethingListensOnIsNeverHandedOut() throws IOException {
        // a range of four ports with listeners on three: the fourth is the only answer, however often we ask
        int low = LocalMachine.freePortsForServers(1)[0] / 4 * 4;
        try (ServerSocket a = listen(low); ServerSocket b = listen(low + 1); ServerSocket c = listen(low + 3)) {
            for (int round = 0; round < 50; round++) {
                assertThat(LocalMachine.freePortsForServers(1, low, low + 4, new HashSet<>())).containsExactly(low + 2);
            }
        }
    }

    @Test
    void aPortHandedOutIsNotHandedOutAgainBeforeItsServerBindsIt() {
        // the test platform picks its nodes' ports, then the database and the broker pick theirs before any node
        // binds: a port free but promised must not be picked twice
        int low = LocalMachine.freePortsForServers(1)[0] / 2 * 2;
        Set<Integer> handedOut = new HashSet<>();
        int first = LocalMachine.freePortsForServers(1, low, low + 2, handedOut)[0];
        int second = LocalMachine.freePortsForServers(1, low, low + 2, handedOut)[0];
        assertThat(Set.of(first, second)).containsExactlyInAnyOrder(low, low + 1);
        assertThatIllegalStateException()
                .isThrownBy(() -> LocalMachine.freePortsForServers(1, low, low + 2, handedOut))
                .withMessageContaining("no free port");
        assertThat(handedOut).containsExactlyInAnyOrder(low, low + 1);
    }

    @Test
    void thePlatformsPortsAreNeverPromisedTwiceInOneProcess() {
        Set<Integer> seen = new HashSet<>();
        for (int round = 0; round < 50; round++) {
            for (int port : LocalMachine.freePortsForServers(3)) {
                assertThat(seen.add(port)).as("port %d handed out again", port).isTrue();
            }
        }
    }

    private static ServerSocket listen(int port) throws IOException {
        ServerSocket s = new ServerSocket();
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        return s;
    }
}
