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

    /// The fleet workload: `hosts` hosts of `networks` nat networks each
    /// (the same private subnets on every host, as fleets have), and
    /// `overlays` overlays over all of them. Host i's VTEP is eth0 at
    /// 10.<i/250>.<i%250+1>.1/16 (inside the bench's files only); overlay j
    /// is vxbr<j>, VNI 1000+j, 172.<16+j>.0.0/16, its range sliced over every
    /// host. Returns the fleet file and each host's topology by its path.
    static func fleet(hosts: Int, networks: Int, overlays: Int) -> (fleet: String, hosts: [(path: String, text: String)]) {
        var f = "version: 1\nhosts:\n"
        var files: [(String, String)] = []
        for i in 0..<hosts {
            let name = String(format: "kvm%04d", i)
            f += "  \(name): {topology: hosts/\(name).yaml, vtep: eth0}\n"
            var t = """
            version: 1
            host: \(name)
            interfaces:
              eth0:
                ipv4: {address: 10.\(i / 250).\(i % 250 + 1).1/16, gateway: 10.\(i / 250).0.1}
            networks:

            """
            for k in 0..<networks {
                t += """
                  n\(k):
                    mode: nat
                    bridge: virbr\(k)
                    uplink: eth0
                    ipv4:
                      subnet: 192.168.\(k).0/24
                      dhcp: {start: 192.168.\(k).100, end: 192.168.\(k).254}

                """
            }
            files.append(("hosts/\(name).yaml", t))
        }
        f += "overlays:\n"
        for j in 0..<overlays {
            f += """
              o\(j):
                vni: \(1000 + j)
                mode: nat
                bridge: vxbr\(j)
                uplink: eth0
                ipv4:
                  subnet: 172.\(16 + j).0.0/16
                  dhcp: {start: 172.\(16 + j).1.0, end: 172.\(16 + j).254.254}

            """
        }
        return (f, files)
    }
}
