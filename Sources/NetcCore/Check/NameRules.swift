/// Name rules shared by validation (and relied upon by rendering: a name
/// that passed these checks cannot inject text into any generated file).
public enum NameRules {
    /// Kernel interface names: 1-15 bytes of A-Z a-z 0-9 _ . -, not starting
    /// with - or ., not "." or "..".
    public static func interfaceNameProblem(_ name: String) -> String? {
        if name.isEmpty { return "is empty" }
        if name.utf8.count > 15 { return "is \(name.utf8.count) bytes long; the kernel allows 15" }
        if let bad = name.unicodeScalars.first(where: { !isNameScalar($0) }) {
            return "contains \(describe(bad)); allowed are A-Z a-z 0-9 _ . -"
        }
        if name.hasPrefix("-") || name.hasPrefix(".") { return "may not start with '\(name.first!)'" }
        return nil
    }

    /// libvirt network names: 1-64 characters of A-Z a-z 0-9 _ . -.
    public static func networkNameProblem(_ name: String) -> String? {
        if name.isEmpty { return "is empty" }
        if name.count > 64 { return "is \(name.count) characters long; at most 64 are allowed" }
        if let bad = name.unicodeScalars.first(where: { !isNameScalar($0) }) {
            return "contains \(describe(bad)); allowed are A-Z a-z 0-9 _ . -"
        }
        if name == "." || name == ".." { return "may not be '\(name)'" }
        return nil
    }

    /// The host's name (it appears in every file's header): a DNS host name,
    /// 1-253 characters of A-Z a-z 0-9 . -.
    public static func hostNameProblem(_ name: String) -> String? {
        if name.isEmpty { return "is empty" }
        if name.count > 253 { return "is \(name.count) characters long; at most 253 are allowed" }
        if let bad = name.unicodeScalars.first(where: { !(isNameScalar($0) && $0 != "_") }) {
            return "contains \(describe(bad)); allowed are A-Z a-z 0-9 . -"
        }
        if name.hasPrefix("-") || name.hasPrefix(".") { return "may not start with '\(name.first!)'" }
        return nil
    }

    /// A guest network's DNS domain (`domain`): labels of 1-63 characters of
    /// A-Z a-z 0-9 -, not starting or ending with -, joined by dots, 253
    /// characters at most. It reaches libvirt's XML and networkd's files.
    public static func domainNameProblem(_ name: String) -> String? {
        if name.isEmpty { return "is empty" }
        if name.utf8.count > 253 { return "is \(name.utf8.count) characters long; at most 253 are allowed" }
        if let bad = name.unicodeScalars.first(where: { !(isNameScalar($0) && $0 != "_") }) {
            return "contains \(describe(bad)); allowed are A-Z a-z 0-9 - and dots between labels"
        }
        for label in name.split(separator: ".", omittingEmptySubsequences: false) {
            if label.isEmpty { return "has an empty label (a leading, trailing or doubled dot)" }
            if label.utf8.count > 63 { return "has a label of \(label.utf8.count) characters; at most 63 are allowed" }
            if label.hasPrefix("-") || label.hasSuffix("-") { return "has a label that starts or ends with '-'" }
        }
        return nil
    }

    static func isNameScalar(_ c: Unicode.Scalar) -> Bool {
        switch c.value {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A, 0x2D, 0x2E, 0x5F: true  // 0-9 A-Z a-z - . _
        default: false
        }
    }

    static func describe(_ c: Unicode.Scalar) -> String {
        switch c {
        case "\n": "a newline"
        case "\t": "a tab"
        case " ": "a space"
        default: c.isASCII && c.value >= 0x20 && c.value < 0x7f ? "'\(Character(c))'" : "U+\(String(c.value, radix: 16, uppercase: true))"
        }
    }
}
