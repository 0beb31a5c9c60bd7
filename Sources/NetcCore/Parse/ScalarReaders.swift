/// Typed readers for single values: every scalar is read from its source
/// text by netc's own rules (no YAML 1.1 guessing).
extension Reader {
    mutating func scalar(_ node: YNode, what: @autoclosure () -> String) -> Located<String>? {
        guard checkTag(node) else { return nil }
        guard let s = node.scalarText, !node.isNull else {
            bag.add(.notAScalar(what(), node.kindDescription), at: node.range)
            return nil
        }
        return Located(s, node.range)
    }

    /// Integers are unquoted decimal numbers.
    mutating func integer(_ node: YNode, what: @autoclosure () -> String, range bounds: ClosedRange<Int>) -> Located<Int>? {
        guard let s = scalar(node, what: what()) else { return nil }
        if node.isQuoted {
            bag.add(.quotedNumber(what(), s.value), at: node.range)
            return nil
        }
        guard !s.value.isEmpty, s.value.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), s.value.count <= 9, let n = Int(s.value) else {
            bag.add(.notAWholeNumber(what(), bounds.lowerBound, bounds.upperBound, s.value), at: node.range)
            return nil
        }
        guard bounds.contains(n) else {
            bag.add(.outOfRange(what(), n, bounds.lowerBound, bounds.upperBound), at: node.range)
            return nil
        }
        return Located(n, node.range)
    }

    /// Booleans are the unquoted words `true` and `false`, nothing else.
    mutating func boolean(_ node: YNode, what: @autoclosure () -> String) -> Located<Bool>? {
        guard let s = scalar(node, what: what()) else { return nil }
        if !node.isQuoted {
            if s.value == "true" { return Located(true, node.range) }
            if s.value == "false" { return Located(false, node.range) }
        }
        bag.add(.notABoolean(what(), node.kindDescription), at: node.range)
        return nil
    }

    mutating func word<W: RawRepresentable & CaseIterable>(_ node: YNode, what: @autoclosure () -> String, as: W.Type) -> Located<W>?
    where W.RawValue == String {
        guard let s = scalar(node, what: what()) else { return nil }
        if let w = W(rawValue: s.value) { return Located(w, node.range) }
        let allowed = W.allCases.map(\.rawValue)
        bag.add(.notOneOf(what(), allowed.joined(separator: ", "), s.value, Suggest.didYouMean(s.value, in: allowed)), at: node.range)
        return nil
    }

    mutating func address(_ node: YNode, what: @autoclosure () -> String) -> Located<IPAddress>? {
        guard let s = scalar(node, what: what()) else { return nil }
        guard let a = IPAddress(s.value) else {
            let hint = s.value.contains("/") ? " (an address without a prefix length)" : ""
            bag.add(.notAnAddress(what(), s.value, hint), at: node.range)
            return nil
        }
        return Located(a, node.range)
    }

    mutating func cidr(_ node: YNode, what: @autoclosure () -> String) -> Located<CIDR>? {
        guard let s = scalar(node, what: what()) else { return nil }
        guard let c = CIDR(s.value) else {
            let hint = s.value.contains("/") ? "" : " (a prefix length such as /24 is missing)"
            bag.add(.notACIDR(what(), s.value, hint), at: node.range)
            return nil
        }
        return Located(c, node.range)
    }

    mutating func addressList(_ node: YNode, what: @autoclosure () -> String) -> [Located<IPAddress>] {
        (list(node, what: what()) ?? []).compactMap { address($0, what: "an entry of \(what())") }
    }

    mutating func mac(_ node: YNode, what: @autoclosure () -> String) -> Located<MACAddress>? {
        guard let s = scalar(node, what: what()) else { return nil }
        guard let m = MACAddress(s.value) else {
            bag.add(.notAMAC(what(), s.value), at: node.range)
            return nil
        }
        if m.isZero || m.isMulticast {
            bag.add(.notUnicastMAC(what(), m, m.isZero ? "all zeros" : "a multicast address"), at: node.range)
            return nil
        }
        return Located(m, node.range)
    }

    /// `30s`, `10m`, `1h`, `2d` -> seconds.
    mutating func duration(_ node: YNode, what: @autoclosure () -> String) -> Located<Int>? {
        guard let s = scalar(node, what: what()) else { return nil }
        let units: [Character: Int] = ["s": 1, "m": 60, "h": 3600, "d": 86400]
        guard let unit = s.value.last, let mult = units[unit],
              let n = Int(s.value.dropLast()), s.value.dropLast().utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
              s.value.count <= 8
        else {
            bag.add(.notADuration(what(), s.value), at: node.range)
            return nil
        }
        let seconds = n * mult
        guard seconds >= 120 else {
            bag.add(.leaseTooShort(what(), s.value), at: node.range)
            return nil
        }
        return Located(seconds, node.range)
    }

    /// A number of seconds, `4` or `4s`, within `range` (E008 otherwise).
    mutating func seconds(_ node: YNode, what: @autoclosure () -> String, range: ClosedRange<Int>) -> Located<Int>? {
        guard let s = scalar(node, what: what()) else { return nil }
        let digits = s.value.hasSuffix("s") ? s.value.dropLast() : Substring(s.value)
        guard (1...6).contains(digits.count), digits.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let n = Int(digits),
              range.contains(n)
        else {
            bag.add(.notSeconds(what(), s.value, range.lowerBound, range.upperBound),
                    at: node.range)
            return nil
        }
        return Located(n, node.range)
    }

    /// `80` or `8000-8010` (E501 when malformed). Both integers and range
    /// strings are accepted unquoted or quoted: `8000-8010` is a string in YAML.
    mutating func portRange(_ node: YNode, what: @autoclosure () -> String) -> Located<PortRange>? {
        guard let s = scalar(node, what: what()) else { return nil }
        let parts = s.value.split(separator: "-", omittingEmptySubsequences: false)
        let numbers = parts.map { p -> Int? in
            guard (1...5).contains(p.count), p.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let n = Int(p), (1...65535).contains(n)
            else { return nil }
            return n
        }
        guard (1...2).contains(numbers.count), numbers.allSatisfy({ $0 != nil }) else {
            bag.add(.notAPort(what(), s.value), at: node.range)
            return nil
        }
        let low = numbers[0]!, high = numbers.last!!
        guard low <= high else {
            bag.add(.portRangeReversed(what(), s.value), at: node.range)
            return nil
        }
        return Located(PortRange(low: low, high: high), node.range)
    }
}
