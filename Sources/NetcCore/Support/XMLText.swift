/// Markup characters in XML text and attribute values, as netc writes them:
/// the templates' `{{name}}` in an XML file (`TemplateOutput.escaped`) and
/// the elements apply hands to `virsh net-update` (`LibvirtDefinition`).
enum XMLText {
    /// The entity that stands for a markup byte; nil for any other byte.
    @inline(__always)
    static func entity(_ b: UInt8) -> StaticString? {
        switch b {
        case UInt8(ascii: "<"): "&lt;"
        case UInt8(ascii: ">"): "&gt;"
        case UInt8(ascii: "&"): "&amp;"
        case UInt8(ascii: "\""): "&quot;"
        case UInt8(ascii: "'"): "&#39;"
        default: nil
        }
    }

    static func escaped(_ s: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(s.utf8.count)
        for b in s.utf8 {
            if let e = entity(b) { e.withUTF8Buffer { out.append(contentsOf: $0) } } else { out.append(b) }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
