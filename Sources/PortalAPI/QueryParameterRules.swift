public import Foundation
import PortalCore
import Yams

/// What `openapi.yaml` says each operation's query parameters may hold, read once so that a request can be checked
/// before the generated code decodes it: a value the generated decoder would refuse gets a 400 that names its
/// parameter, and an optional parameter given empty (`?page=`) is the same as one left out.
public struct QueryParameterRules: Sendable {
    /// One query parameter of one operation.
    public struct Rule: Sendable, Equatable {
        public enum Kind: Sendable, Equatable {
            case text
            case integer(minimum: Int?, maximum: Int?)
            case choice([String])
        }
        public let name: String
        public let required: Bool
        public let kind: Kind
    }

    /// The rules by operation id, in the document's order of parameters.
    public let operations: [String: [Rule]]
    /// The operations with a `security` requirement (the agency's bearer token).
    public let secured: Set<String>
    /// The whole-number path parameters by operation id: a value that is not one names nothing (404).
    public let integerPaths: [String: [Rule]]

    /// Reads the rules from the document's text.
    public init(yaml: String) throws {
        guard let document = try Yams.load(yaml: yaml) as? [String: Any] else {
            throw APIDocumentationError.notADocument
        }
        var operations: [String: [Rule]] = [:]
        var secured: Set<String> = []
        var integerPaths: [String: [Rule]] = [:]
        for case let item as [String: Any] in (document["paths"] as? [String: Any] ?? [:]).values {
            for case let operation as [String: Any] in item.values {
                guard let id = operation["operationId"] as? String else { continue }
                operations[id] = (operation["parameters"] as? [[String: Any]] ?? []).compactMap(Self.rule)
                if !(operation["security"] as? [Any] ?? []).isEmpty { secured.insert(id) }
                integerPaths[id] = (operation["parameters"] as? [[String: Any]] ?? []).compactMap { parameter in
                    guard parameter["in"] as? String == "path", let name = parameter["name"] as? String,
                        let schema = parameter["schema"] as? [String: Any], schema["type"] as? String == "integer"
                    else { return nil }
                    return Rule(
                        name: name, required: true,
                        kind: .integer(minimum: schema["minimum"] as? Int, maximum: schema["maximum"] as? Int))
                }
            }
        }
        self.operations = operations
        self.secured = secured
        self.integerPaths = integerPaths
    }

    static func rule(_ parameter: [String: Any]) -> Rule? {
        guard parameter["in"] as? String == "query", let name = parameter["name"] as? String else { return nil }
        let schema = parameter["schema"] as? [String: Any] ?? [:]
        let kind: Rule.Kind
        if let values = schema["enum"] as? [Any] {
            kind = .choice(values.compactMap { $0 as? String })
        } else if schema["type"] as? String == "integer" {
            kind = .integer(minimum: schema["minimum"] as? Int, maximum: schema["maximum"] as? Int)
        } else {
            kind = .text
        }
        return Rule(name: name, required: parameter["required"] as? Bool ?? false, kind: kind)
    }

    /// Why a query does not meet an operation's rules: the parameter at fault.
    public struct Violation: Error, Sendable, Equatable {
        public let parameter: String
        /// The parameter is required and was left out or given empty.
        public let missing: Bool

        public init(parameter: String, missing: Bool = false) {
            self.parameter = parameter
            self.missing = missing
        }
    }

    /// The query with every value trimmed of surrounding white space and every empty optional parameter left out,
    /// ready for the generated decoder; or the first parameter that breaks its rule.
    ///
    /// `query` is the raw text after `?`. Parameters the document does not name are kept as they are.
    public func normalized(query: Substring, operation: String) throws(Violation) -> String {
        let rules = operations[operation] ?? []
        var kept: [Substring] = []
        var seen: Set<String> = []
        var changed = false
        for pair in query.split(separator: "&", omittingEmptySubsequences: false) {
            let equals = pair.firstIndex(of: "=")
            let rawName = equals.map { pair[..<$0] } ?? pair
            let name = Self.decode(rawName)
            guard let rule = rules.first(where: { $0.name == name }) else {
                kept.append(pair)
                continue
            }
            let sent = Self.decode(equals.map { pair[pair.index(after: $0)...] } ?? "")
            let value = sent.withoutSurroundingSpace
            if value.isEmpty {
                changed = true
                continue
            }
            switch rule.kind {
            case .text:
                break
            case .integer(let minimum, let maximum):
                guard let number = Int(value), number >= (minimum ?? .min), number <= (maximum ?? .max)
                else { throw Violation(parameter: name) }
            case .choice(let values):
                guard values.contains(value) else { throw Violation(parameter: name) }
            }
            seen.insert(name)
            // A value sent as it should be is passed on as written; only a trimmed one is written anew.
            if value.count == sent.count {
                kept.append(pair)
            } else {
                changed = true
                kept.append("\(Self.encode(name))=\(Self.encode(value))")
            }
        }
        if let missing = rules.first(where: { $0.required && !seen.contains($0.name) }) {
            throw Violation(parameter: missing.name, missing: true)
        }
        return changed ? kept.joined(separator: "&") : String(query)
    }

    /// Form decoding: `+` is a space, then percent escapes; a bad escape is kept as written.
    static func decode(_ text: Substring) -> String {
        guard text.utf8.contains(where: { $0 == UInt8(ascii: "%") || $0 == UInt8(ascii: "+") }) else {
            return String(text)
        }
        let spaced = text.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }

    /// Percent-encodes everything but the unreserved characters.
    static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? text
    }

    private static let unreserved = CharacterSet(
        charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
}
