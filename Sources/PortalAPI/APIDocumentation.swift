import Foundation
import Yams

/// The OpenAPI document read into what the `/api/docs` page shows: every operation with its parameters, an
/// example request (a curl command and, for bodies, JSON built from the schema's examples), its answers and an
/// example answer. Built from `openapi.yaml`, so the page can never disagree with the specification.
public struct APIDocumentation: Sendable {
    public struct Parameter: Sendable {
        public let name: String
        public let location: String
        public let required: Bool
        public let type: String
        public let description: String
        public let example: String
    }

    public struct Answer: Sendable {
        public let status: String
        public let description: String
    }

    public struct Operation: Sendable {
        public let id: String
        public let method: String
        public let path: String
        public let summary: String
        public let description: String
        public let needsToken: Bool
        public let parameters: [Parameter]
        public let requestExample: String?
        public let answers: [Answer]
        public let answerExample: String?
        public let curl: String
    }

    public let title: String
    public let version: String
    public let description: String
    public let operations: [Operation]

    /// Reads the document; example commands use `baseURL`.
    public init(yaml: String, baseURL: String) throws {
        guard let document = try Yams.load(yaml: yaml) as? [String: Any] else {
            throw APIDocumentationError.notADocument
        }
        let info = document["info"] as? [String: Any] ?? [:]
        title = info["title"] as? String ?? ""
        version = info["version"] as? String ?? ""
        description = (info["description"] as? String ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let resolver = SchemaExamples(document: document)
        var operations: [Operation] = []
        let paths = document["paths"] as? [String: Any] ?? [:]
        for path in paths.keys.sorted() {
            guard let item = paths[path] as? [String: Any] else { continue }
            for method in ["get", "post", "put", "patch", "delete"] {
                guard let operation = item[method] as? [String: Any] else { continue }
                operations.append(
                    Self.operation(operation, method: method, path: path, resolver: resolver, baseURL: baseURL))
            }
        }
        self.operations = operations
    }

    /// Every `METHOD path` the document describes, e.g. `GET /api/v1/procedures`.
    public var routes: Set<String> { Set(operations.map { "\($0.method) \($0.path)" }) }

    static func operation(
        _ operation: [String: Any], method: String, path: String, resolver: SchemaExamples, baseURL: String
    ) -> Operation {
        let parameters = (operation["parameters"] as? [[String: Any]] ?? []).map { parameter in
            let schema = parameter["schema"] as? [String: Any] ?? [:]
            return Parameter(
                name: parameter["name"] as? String ?? "", location: parameter["in"] as? String ?? "",
                required: parameter["required"] as? Bool ?? false, type: SchemaExamples.typeName(schema),
                description: parameter["description"] as? String ?? "",
                example: SchemaExamples.text(parameter["example"] ?? schema["example"]) ?? "")
        }
        var requestExample: String?
        if let body = operation["requestBody"] as? [String: Any],
            let json = (body["content"] as? [String: Any])?["application/json"] as? [String: Any]
        {
            requestExample = SchemaExamples.json(
                json["example"] ?? resolver.example(json["schema"] as? [String: Any] ?? [:], depth: 0))
        }
        let responses = operation["responses"] as? [String: Any] ?? [:]
        let answers = responses.keys.sorted().map { status in
            Answer(status: status, description: (responses[status] as? [String: Any])?["description"] as? String ?? "")
        }
        var answerExample: String?
        if let success = responses.keys.sorted().first(where: { $0.hasPrefix("2") }),
            let json = ((responses[success] as? [String: Any])?["content"] as? [String: Any])?["application/json"]
                as? [String: Any]
        {
            answerExample = SchemaExamples.json(
                json["example"] ?? resolver.example(json["schema"] as? [String: Any] ?? [:], depth: 0))
        }
        let needsToken = !(operation["security"] as? [Any] ?? []).isEmpty
        // The example command: path parameters and query parameters with examples filled in.
        var url = path
        var query: [String] = []
        for parameter in parameters where !parameter.example.isEmpty {
            let value =
                parameter.example.addingPercentEncoding(
                    withAllowedCharacters: .urlQueryAllowed.subtracting(["&", "=", "+"]))
                ?? parameter.example
            if parameter.location == "path" {
                url = url.replacingOccurrences(of: "{\(parameter.name)}", with: value)
            } else if parameter.location == "query" {
                query.append("\(parameter.name)=\(value)")
            }
        }
        var curl = "curl -s"
        if method != "get" { curl += " -X \(method.uppercased())" }
        if needsToken { curl += " -H 'Authorization: Bearer $TOKEN'" }
        if let requestExample, let compact = SchemaExamples.compact(requestExample) {
            curl += " -H 'Content-Type: application/json' -d '\(compact.replacingOccurrences(of: "'", with: "'\\''"))'"
        }
        curl += " '\(baseURL)\(url)\(query.isEmpty ? "" : "?" + query.joined(separator: "&"))'"
        return Operation(
            id: operation["operationId"] as? String ?? "\(method)-\(path)", method: method.uppercased(), path: path,
            summary: operation["summary"] as? String ?? "",
            description: (operation["description"] as? String ?? "").trimmingCharacters(in: .whitespacesAndNewlines),
            needsToken: needsToken, parameters: parameters, requestExample: requestExample, answers: answers,
            answerExample: answerExample, curl: curl)
    }
}

/// Why the document could not be read.
public enum APIDocumentationError: Error, Sendable {
    case notADocument
}

/// Example values built from schemas: a schema's own `example` first, then its enum, its format, its type.
struct SchemaExamples {
    let document: [String: Any]

    func resolve(_ schema: [String: Any]) -> [String: Any] {
        guard let reference = schema["$ref"] as? String, reference.hasPrefix("#/") else { return schema }
        var node: Any? = document
        for part in reference.dropFirst(2).split(separator: "/") { node = (node as? [String: Any])?[String(part)] }
        return node as? [String: Any] ?? [:]
    }

    func example(_ given: [String: Any], depth: Int) -> Any {
        let schema = resolve(given)
        if let example = schema["example"] { return example }
        if let values = schema["enum"] as? [Any], let first = values.first { return first }
        guard depth < 6 else { return [String: Any]() }
        switch Self.primaryType(schema) {
        case "object":
            var object: [String: Any] = [:]
            for (name, property) in schema["properties"] as? [String: Any] ?? [:] {
                object[name] = example(property as? [String: Any] ?? [:], depth: depth + 1)
            }
            return object
        case "array":
            return [example(schema["items"] as? [String: Any] ?? [:], depth: depth + 1)]
        case "integer":
            return schema["minimum"] as? Int ?? 1
        case "number":
            return 0.5
        case "boolean":
            return true
        default:
            switch schema["format"] as? String {
            case "date": return "2026-01-31"
            case "date-time": return "2026-01-31T09:00:00+07:00"
            case "uri": return "https://example.gov.vn/"
            default: return "…"
            }
        }
    }

    /// The first non-null type of a schema (`type` may be a list such as `[string, "null"]`).
    static func primaryType(_ schema: [String: Any]) -> String {
        if let type = schema["type"] as? String { return type }
        if let types = schema["type"] as? [String] { return types.first { $0 != "null" } ?? "null" }
        return schema["properties"] != nil ? "object" : "string"
    }

    static func typeName(_ schema: [String: Any]) -> String {
        var name = primaryType(schema)
        if let format = schema["format"] as? String { name += " (\(format))" }
        return name
    }

    static func text(_ value: Any?) -> String? {
        switch value {
        case let string as String: string
        case let number as Int: String(number)
        case let number as Double: String(number)
        case let flag as Bool: flag ? "true" : "false"
        default: nil
        }
    }

    /// Indented JSON with sorted keys.
    static func json(_ value: Any) -> String? {
        guard JSONSerialization.isValidJSONObject(value) || value is String || value is Int else { return nil }
        guard
            let data = try? JSONSerialization.data(
                withJSONObject: value,
                options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes, .fragmentsAllowed])
        else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    /// The same JSON on one line, for a command.
    static func compact(_ text: String) -> String? {
        guard let value = try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed]),
            let data = try? JSONSerialization.data(
                withJSONObject: value, options: [.sortedKeys, .withoutEscapingSlashes, .fragmentsAllowed])
        else { return nil }
        return String(decoding: data, as: UTF8.self)
    }
}
