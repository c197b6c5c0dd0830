import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PortalStore
import PortalTestSupport
import Testing

@Suite struct OperationsTests {
    struct Readiness: Decodable {
        let status: String
        let database: String
        let schema_version: Int?
        let expected_schema_version: Int
    }

    @Test(arguments: TestEngine.available)
    func healthAndReadinessAnswerJSON(engine: TestEngine) async throws {
        try await TestPortal.withClient(engine) { client in
            try await client.execute(uri: "/healthz", method: .get) { response in
                #expect(response.status == .ok)
                let body = try JSONDecoder().decode([String: String].self, from: Data(response.text.utf8))
                #expect(body == ["status": "ok"])
            }
            try await client.execute(uri: "/readyz", method: .get) { response in
                #expect(response.status == .ok)
                let body = try JSONDecoder().decode(Readiness.self, from: Data(response.text.utf8))
                #expect(body.status == "ready")
                #expect(body.database == engine.rawValue)
                #expect(body.schema_version == body.expected_schema_version)
                #expect(body.expected_schema_version >= 4)
            }
        }
    }

    @Test(arguments: TestEngine.available)
    func metricsCountRequestsByRouteInPrometheusFormat(engine: TestEngine) async throws {
        try await TestPortal.withClient(engine) { client in
            for _ in 0..<3 { try await client.execute(uri: "/healthz", method: .get) { _ in } }
            try await client.execute(uri: "/thu-tuc/1.001193", method: .get) { _ in }
            try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
                let text = response.text
                #expect(text.contains("# TYPE http_requests_total counter"))
                #expect(text.contains("http_requests_total{route=\"/healthz\",method=\"GET\",status=\"200\"} 3"))
                // Routes are labelled by pattern, so a procedure code never becomes a label.
                #expect(text.contains("http_requests_total{route=\"/thu-tuc/{code}\",method=\"GET\",status=\"200\"} 1"))
                #expect(!text.contains("1.001193"))
                #expect(text.contains("http_request_duration_seconds_bucket{route=\"/healthz\",method=\"GET\",le="))
            }
        }
    }

    @Test(arguments: TestEngine.available)
    func theOpenAPIDocumentAndTheStylesheetAreServed(engine: TestEngine) async throws {
        try await TestPortal.withClient(engine) { client in
            try await client.execute(uri: "/openapi.yaml", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.text.hasPrefix("openapi: 3.1.0"))
                #expect(response.text.contains("/readyz:"))
            }
            try await client.execute(uri: "/static/site.css", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "text/css; charset=utf-8")
                #expect(response.text.contains(".skip-link"))
            }
        }
    }
}
