import Foundation
import HTTPTypes
import Hummingbird
import PortalAPI
import PortalStore
import Prometheus

/// Health, readiness, metrics, the OpenAPI document, the stylesheet and the script.
struct OperationsController: Sendable {
    let database: Database
    let registry: PrometheusCollectorRegistry
    let stylesheet: ByteBuffer
    let script: ByteBuffer
    let openAPI: ByteBuffer
    var benchmarkMode = false

    func addRoutes(to router: Router<AppRequestContext>) {
        if benchmarkMode {
            // The framework's ceiling for the benchmark harness: no database, no template, a constant answer.
            router.get("/bench/hello") { _, _ in
                Response(
                    status: .ok, headers: [.contentType: "text/plain; charset=utf-8"],
                    body: .init(byteBuffer: ByteBuffer(string: "ok")))
            }
        }
        router.get("/healthz") { _, _ in
            try Self.json(["status": "ok"], status: .ok)
        }
        router.get("/readyz") { _, _ in try await self.readiness() }
        router.get("/metrics") { _, _ in
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
            return Response(
                status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: self.registry.emitToBuffer())))
        }
        router.get("/openapi.yaml") { _, _ in
            var headers = HTTPFields()
            headers[.contentType] = "application/yaml; charset=utf-8"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: self.openAPI))
        }
        router.get("/static/site.css") { _, _ in
            var headers = HTTPFields()
            headers[.contentType] = "text/css; charset=utf-8"
            headers[.cacheControl] = "public, max-age=3600"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: self.stylesheet))
        }
        router.get("/static/site.js") { _, _ in
            var headers = HTTPFields()
            headers[.contentType] = "text/javascript; charset=utf-8"
            headers[.cacheControl] = "public, max-age=3600"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: self.script))
        }
    }

    /// Ready when the database answers and every migration this build knows has been applied.
    func readiness() async throws -> Response {
        let migrator = Migrator(database: database)
        var body: [String: any Encodable & Sendable] = [
            "database": database.dialect.rawValue, "expected_schema_version": migrator.latestVersion,
        ]
        do {
            let version = try await migrator.currentVersion()
            body["schema_version"] = version
            guard version == migrator.latestVersion else {
                body["status"] = "unavailable"
                body["reason"] =
                    "schema version \(version.map(String.init) ?? "none"), expected \(migrator.latestVersion)"
                return try Self.json(body, status: .serviceUnavailable)
            }
            body["status"] = "ready"
            return try Self.json(body, status: .ok)
        } catch {
            body["status"] = "unavailable"
            body["reason"] = "database unreachable"
            return try Self.json(body, status: .serviceUnavailable)
        }
    }

    static func json(_ object: [String: any Encodable & Sendable], status: HTTPResponse.Status) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = try encoder.encode(object.mapValues(AnyEncodable.init))
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        headers[.cacheControl] = "no-store"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

/// Lets a dictionary of mixed values be encoded.
private struct AnyEncodable: Encodable {
    let value: any Encodable

    init(_ value: any Encodable & Sendable) {
        self.value = value
    }

    func encode(to encoder: any Encoder) throws {
        try value.encode(to: encoder)
    }
}
