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

        init(_ e: XMLTree.Element, dropping drop: (XMLTree.Element) -> Bool) {
            name = e.name
            attributes = e.attributes.map { Attribute(name: $0.name, value: $0.value) }
            text = e.text.trimmingXMLSpace()
            children = e.children.filter { !drop($0) }.map { Node($0, dropping: drop) }
        }

        /// The element as libvirt's `net-update` takes it: one line, its
        /// attributes in their order, single-quoted.
        public var xml: String {
            let attrs = attributes.map { " \($0.name)='\(Self.escaped($0.value))'" }.joined()
            guard !children.isEmpty || !text.isEmpty else { return "<\(name)\(attrs)/>" }
            return "<\(name)\(attrs)>" + Self.escaped(text) + children.map(\.xml).joined() + "</\(name)>"
        }

        static func escaped(_ s: String) -> String {
            var out = ""
            for c in s {
                switch c {
                case "&": out += "&amp;"
                case "<": out += "&lt;"
                case "'": out += "&apos;"
                default: out.append(c)
                }
            }
            return out
        }
    }

    public var name: String
    /// Everything but the DHCP `<host>` entries.
    public var rest: Node
    /// The DHCP `<host>` entries of every `<ip>`, in order.
    public var hosts: [Node]
    /// Carries netc's `<metadata>` element (`OutputLayout.metadataURN`).
    public var ownedByNetc: Bool
    /// libvirt's identity of the network, when it has given one.
    public var uuid: String?
    public var mac: String?

    /// `xml` (a network netc built) with this network's UUID and MAC, right
    /// after its `<name>`: libvirt 9.0 refuses to redefine a network from
    /// XML without its UUID, and would pick a new MAC.
    public func identity(into xml: [UInt8]) -> [UInt8] {
        var lines: [String] = []
        if let uuid { lines.append("  <uuid>\(Node.escaped(uuid))</uuid>") }
        if let mac { lines.append("  <mac address='\(Node.escaped(mac))'/>") }
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
        func isHost(_ e: XMLTree.Element) -> Bool { e.name == "host" }
        var hosts: [Node] = []
        for ip in root.children("ip") {
            for dhcp in ip.children("dhcp") { hosts += dhcp.children("host").map { Node($0, dropping: { _ in false }) } }
        }
        self.hosts = hosts
        // Only <ip><dhcp><host> is taken out (a <dns><host> stays).
        var copy = root
        copy.children = root.children.map { child in
            guard child.name == "ip" else { return child }
            var ip = child
            ip.children = child.children.map { d in
                guard d.name == "dhcp" else { return d }
                var dhcp = d
                dhcp.children = d.children.filter { !isHost($0) }
                return dhcp
            }
            return ip
        }
        rest = Node(copy, dropping: { _ in false })
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
