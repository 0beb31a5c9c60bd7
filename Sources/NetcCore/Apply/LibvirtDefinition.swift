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
        // <ip><dhcp><host> taken out of the rest (a <dns><host> stays).
        var rest = Node(root), hosts: [Node] = []
        for i in rest.children.indices where rest.children[i].name == "ip" {
            for d in rest.children[i].children.indices where rest.children[i].children[d].name == "dhcp" {
                hosts += rest.children[i].children[d].children.filter { $0.name == "host" }
                rest.children[i].children[d].children.removeAll { $0.name == "host" }
            }
        }
        self.rest = rest
        self.hosts = hosts
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
