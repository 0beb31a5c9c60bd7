/// The topologies `make bench` measures.
enum Workload {
    /// An address block for network `i` that no other network shares.
    static func block(_ i: Int) -> String { "\(11 + i / 65536).\(i / 256 % 256).\(i % 256)" }

    /// NICs needed for `n` VLANs at 4000 per NIC (VLAN ids are unique per parent).
    static func nics(_ n: Int) -> Int { (n + 3999) / 4000 }

    /// netplan's natural workload in netc's format: `n` bridge-mode networks,
    /// each over its own VLAN with a static /24 (5 files per network).
    static func bridgesOverVLANs(_ n: Int) -> String {
        var s = "version: 1\nhost: bench\ninterfaces:\n"
        s.reserveCapacity(n * 160)
        for k in 0..<nics(n) { s += "  e\(k): {}\n" }
        for i in 0..<n {
            s += "  e\(i / 4000).\(i % 4000 + 1): {kind: vlan, parent: e\(i / 4000), id: \(i % 4000 + 1)}\n"
        }
        s += "networks:\n"
        for i in 0..<n {
            s += "  lan\(i):\n    mode: bridge\n    bridge: br\(i)\n    uplink: e\(i / 4000).\(i % 4000 + 1)\n    ipv4: {address: \(block(i)).5/24}\n"
        }
        return s
    }

    /// The same host in netplan's format.
    static func bridgesOverVLANsNetplan(_ n: Int) -> String {
        var s = "network:\n  version: 2\n  renderer: networkd\n  ethernets:\n"
        s.reserveCapacity(n * 160)
        for k in 0..<nics(n) { s += "    e\(k): {}\n" }
        s += "  vlans:\n"
        for i in 0..<n { s += "    e\(i / 4000).\(i % 4000 + 1): {id: \(i % 4000 + 1), link: e\(i / 4000)}\n" }
        s += "  bridges:\n"
        for i in 0..<n { s += "    br\(i):\n      interfaces: [e\(i / 4000).\(i % 4000 + 1)]\n      addresses: [\(block(i)).5/24]\n" }
        return s
    }

    /// `n` nat networks with DHCP and a reservation behind one uplink: the
    /// packet-path and ruleset-load workload. Network i has bridge vb<i> and
    /// subnet 10.<i/256>.<i%256>.0/24 (used only inside the bench's own
    /// network namespaces).
    static func natNetworks(_ n: Int) -> String {
        var s = """
        version: 1
        host: bench
        interfaces:
          eth0:
            ipv4: {address: 203.0.113.10/24, gateway: 203.0.113.1, dns: [203.0.113.53]}
        networks:

        """
        for i in 0..<n {
            let b = "10.\(i / 256 % 256).\(i % 256)"
            let mac = String(format: "52:54:00:%02x:%02x:%02x", i >> 16 & 255, i >> 8 & 255, i & 255)
            s += """
              net\(i):
                mode: nat
                bridge: vb\(i)
                uplink: eth0
                ipv4:
                  subnet: \(b).0/24
                  dhcp: {start: \(b).100, end: \(b).200}
                  reservations: {g\(i): {mac: \(mac), ip: \(b).10}}

            """
        }
        return s
    }
}
