/// What a libvirt network definition holds, read with an XML parser
/// (`XMLTree`), never by its lines: `apply` compares a built network with
/// the copy it last applied and with what libvirt lists, and neither
/// libvirt's quoting (libvirt 11 writes double quotes) nor a template's
/// layout may change the answer.
public struct LibvirtDefinition: Equatable, Sendable {
    /// An element without positions, its text trimmed, comments gone.
    public struct Node: Equatable, Sendable {
        public var name: String
        public var attributes: [Attribute]
        public var text: String
        public var children: [Node]

        public struct Attribute: Equatable, Sendable {
            public var name: String
            public var value: String
        }

        init(_ e: XMLTree.Element) {
            name = e.name
            attributes = e.attributes.map { Attribute(name: $0.name, value: $0.value) }
            text = e.text.trimmingXMLSpace()
            children = e.children.map(Node.init)
        }

        /// The element as libvirt's `net-update` takes it: one line, its
        /// attributes in their order, single-quoted.
        public var xml: String {
            let attrs = attributes.map { " \($0.name)='\(XMLText.escaped($0.value))'" }.joined()
            guard !children.isEmpty || !text.isEmpty else { return "<\(name)\(attrs)/>" }
            return "<\(name)\(attrs)>" + XMLText.escaped(text) + children.map(\.xml).joined() + "</\(name)>"
        }
    }

    public var name: String
    /// Everything but the entries libvirt takes on a running network.
    public var rest: Node
    /// The entries `virsh net-update --live` changes on a running network
    /// without restarting it (checked against libvirt 9.0: the DHCP hosts
    /// and ranges of every `<ip>`, and the `<dns>` host records), in order.
    public var entries: [Entry]
    /// Carries netc's `<metadata>` element (`OutputLayout.metadataURN`).
    public var ownedByNetc: Bool
    /// libvirt's identity of the network, when it has given one.
    public var uuid: String?
    public var mac: String?
    /// The bridge's name, for a network with one.
    public var bridge: String?

    /// One entry of a section `net-update` knows.
    public struct Entry: Equatable, Sendable {
        /// `ip-dhcp-host`, `ip-dhcp-range` or `dns-host`.
        public var section: String
        public var node: Node
        /// A DHCP entry's `<ip>`, counted among the network's `<ip>`
        /// elements (`net-update --parent-index`): without it libvirt
        /// takes the first `<ip>` with `<dhcp>`, the IPv4 one, for a
        /// DHCPv6 range too.
        public var parentIndex: Int? = nil

        /// The arguments of `virsh net-update NETWORK add|delete` that
        /// name this entry.
        public var updateArguments: [String] {
            [section, node.xml] + (parentIndex.map { ["--parent-index", String($0)] } ?? [])
        }
        /// What the entry is, with a DHCP host's name or MAC, a range's
        /// bounds, a DNS host's names and address: for messages.
        public var label: String {
            let a = { (n: String) in node.attributes.first { $0.name == n }?.value }
            if section == "ip-dhcp-range" { return "DHCP range \(a("start") ?? "?")-\(a("end") ?? "?")" }
            if section == "dns-host" {
                let names = node.children.filter { $0.name == "hostname" }.map(\.text).joined(separator: ",")
                return "DNS host \(names) (\(a("ip") ?? "?"))"
            }
            return "DHCP host \(a("name") ?? a("mac") ?? a("ip") ?? "?")"
        }
    }

    /// The addresses libvirt gives the bridge (`<ip address prefix>`), as
    /// `192.168.122.1/24`.
    public var addresses: [String] {
        rest.children.filter { $0.name == "ip" }.compactMap { ip in
            let a = { (n: String) in ip.attributes.first { $0.name == n }?.value }
            guard let address = a("address") else { return nil }
            if let prefix = a("prefix") { return "\(address)/\(prefix)" }
            if let mask = a("netmask") {
                let bits = mask.split(separator: ".").compactMap { UInt8($0) }.map { $0.nonzeroBitCount }.reduce(0, +)
                return "\(address)/\(bits)"
            }
            return "\(address)/\(address.contains(":") ? 64 : 24)"
        }
    }

    /// `<port isolated='yes'/>`: each guest's port is isolated.
    public var isolatesPorts: Bool {
        rest.children.contains { $0.name == "port" && $0.attributes.contains { $0.name == "isolated" && $0.value == "yes" } }
    }

    /// The DHCP `<host>` entries.
    public var hosts: [Node] { entries.filter { $0.section == "ip-dhcp-host" }.map(\.node) }

    /// What the definition says, without what libvirt adds on its own: its
    /// UUID and MAC, and the `dev` it sets on a macvtap `<forward>` (its
    /// first interface's). Two definitions of the same network have the
    /// same shape and entries whoever wrote them, running or not.
    public var shape: Node {
        // libvirt's live XML counts the guests on a network and on each
        // of its interfaces (`connections='1'`): state, not definition.
        func withoutConnections(_ n: Node) -> Node {
            var n = n
            n.attributes.removeAll { $0.name == "connections" }
            n.children = n.children.map(withoutConnections)
            return n
        }
        var n = withoutConnections(rest)
        n.children.removeAll { $0.name == "uuid" || $0.name == "mac" }
        for i in n.children.indices where n.children[i].name == "forward" {
            n.children[i].attributes.removeAll { $0.name == "dev" }
        }
        return n
    }

    /// `xml` (a network netc built) with this network's UUID and MAC, right
    /// after its `<name>`: libvirt 9.0 refuses to redefine a network from
    /// XML without its UUID, and would pick a new MAC.
    public func identity(into xml: [UInt8]) -> [UInt8] {
        var lines: [String] = []
        if let uuid { lines.append("  <uuid>\(XMLText.escaped(uuid))</uuid>") }
        if let mac { lines.append("  <mac address='\(XMLText.escaped(mac))'/>") }
        let text = String(decoding: xml, as: UTF8.self)
        guard !lines.isEmpty, let end = text.range(of: "</name>") else { return xml }
        var out = text
        out.insert(contentsOf: "\n" + lines.joined(separator: "\n"), at: end.upperBound)
        return Array(out.utf8)
    }

    /// nil when the bytes are not a `<network>` element.
    public init?(_ bytes: [UInt8]) {
        guard let root = try? XMLTree.parse(bytes), root.name == "network" else { return nil }
        name = root.child("name")?.text.trimmingXMLSpace() ?? ""
        uuid = root.child("uuid").map { $0.text.trimmingXMLSpace() }
        mac = root.child("mac")?.attribute("address")?.value
        bridge = root.child("bridge")?.attribute("name")?.value
        // <ip><dhcp><host> and <range>, and <dns><host>, taken out of the
        // rest (a <dns> left empty goes too: libvirt adds and drops it
        // with its first and last host).
        var rest = Node(root), entries: [Entry] = []
        for i in rest.children.indices where rest.children[i].name == "dns" {
            entries += rest.children[i].children.filter { $0.name == "host" }.map { Entry(section: "dns-host", node: $0) }
            rest.children[i].children.removeAll { $0.name == "host" }
        }
        rest.children.removeAll { $0.name == "dns" && $0.children.isEmpty && $0.attributes.isEmpty && $0.text.isEmpty }
        let sections = ["host": "ip-dhcp-host", "range": "ip-dhcp-range"]
        for (index, i) in rest.children.indices.filter({ rest.children[$0].name == "ip" }).enumerated() {
            for d in rest.children[i].children.indices where rest.children[i].children[d].name == "dhcp" {
                entries += rest.children[i].children[d].children.compactMap { n in
                    sections[n.name].map { Entry(section: $0, node: n, parentIndex: index) }
                }
                rest.children[i].children[d].children.removeAll { sections[$0.name] != nil }
            }
        }
        self.rest = rest
        self.entries = entries
        ownedByNetc = root.child("metadata")?.children.contains { e in
            e.attributes.contains { ($0.name == "xmlns" || $0.name.hasPrefix("xmlns:")) && $0.value == OutputLayout.metadataURN }
        } ?? false
    }
}

extension String {
    func trimmingXMLSpace() -> String {
        let space: Set<Character> = [" ", "\t", "\n", "\r"]
        guard let first = firstIndex(where: { !space.contains($0) }), let last = lastIndex(where: { !space.contains($0) }) else { return "" }
        return String(self[first...last])
    }
}
