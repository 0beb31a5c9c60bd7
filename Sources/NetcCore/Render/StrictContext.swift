import Mustache

/// A value handed to a template. Templates only lay out; every value is
/// computed before it gets here.
enum TemplateValue {
    /// Printed text; must not be empty.
    case text(String)
    /// Printed text that may be absent: a `{{#key}}...{{/key}}` section.
    case optional(String?)
    case flag(Bool)
    case texts([String])
    case object([String: TemplateValue])
    case optionalObject([String: TemplateValue]?)
    case objects([[String: TemplateValue]])
}

/// Records what a render looked up that was not there, or was empty.
final class RenderAudit: @unchecked Sendable {
    var problems: [String] = []
}

/// The context object templates render against. A lookup of a key the
/// context does not hold is recorded as a problem instead of silently
/// rendering nothing: templates must name only keys that exist on the
/// innermost context (no climbing to outer sections), so a typo or a
/// forgotten value fails the render, and with it a test.
final class StrictContext: MustacheParent {
    let values: [String: Any]
    let audit: RenderAudit
    let path: String

    init(_ values: [String: TemplateValue], audit: RenderAudit, path: String) {
        self.audit = audit
        self.path = path
        var out: [String: Any] = [:]
        for (k, v) in values {
            let p = path + "." + k
            switch v {
            case .text(let s):
                if s.isEmpty { audit.problems.append("\(p) is empty") }
                out[k] = s
            case .optional(let s):
                if s?.isEmpty == true { audit.problems.append("\(p) is empty") }
                out[k] = s.map { $0 as Any } ?? false
            case .flag(let b):
                out[k] = b
            case .texts(let list):
                if list.contains(where: \.isEmpty) { audit.problems.append("\(p) has an empty entry") }
                out[k] = list
            case .object(let o):
                out[k] = StrictContext(o, audit: audit, path: p)
            case .optionalObject(let o):
                out[k] = o.map { StrictContext($0, audit: audit, path: p) as Any } ?? false
            case .objects(let list):
                out[k] = list.enumerated().map { StrictContext($1, audit: audit, path: "\(p)[\($0)]") }
            }
        }
        self.values = out
    }

    func child(named name: String) -> Any? {
        guard let v = values[name] else {
            audit.problems.append("template looked up '\(name)', which \(path) does not have")
            return nil
        }
        return v
    }
}

/// An internal error: a template and the values given to it disagree. This
/// is a bug in netc, never a user error.
public struct RenderError: Error, CustomStringConvertible {
    public var template: String
    public var problems: [String]
    public var description: String {
        "internal error rendering \(template): " + problems.joined(separator: "; ")
    }
}

/// The Mustache templates compiled into the binary from templates/.
struct TemplateStore {
    static let shared = TemplateStore()

    let templates: [String: MustacheTemplate]

    static let sources: [String: [UInt8]] = [
        "networkd.netdev": PackageResources.networkd_netdev_mustache,
        "networkd.network": PackageResources.networkd_network_mustache,
        "netc.nft": PackageResources.netc_nft_mustache,
        "libvirt-network.xml": PackageResources.libvirt_network_xml_mustache,
    ]

    init() {
        var t: [String: MustacheTemplate] = [:]
        for (name, bytes) in Self.sources {
            // The templates are part of the source tree and covered by the
            // golden tests: one that does not parse is a build defect.
            t[name] = try! MustacheTemplate(string: String(decoding: bytes, as: UTF8.self))
        }
        templates = t
    }

    func render(_ name: String, _ values: [String: TemplateValue]) throws -> String {
        try Self.render(templates[name]!, name: name, values)
    }

    static func render(_ template: MustacheTemplate, name: String, _ values: [String: TemplateValue]) throws -> String {
        let audit = RenderAudit()
        let context = StrictContext(values, audit: audit, path: name)
        let text = template.render(context)
        if !audit.problems.isEmpty { throw RenderError(template: name, problems: audit.problems) }
        return text
    }
}
