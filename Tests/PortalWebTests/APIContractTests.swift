import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PortalAPI
import PortalStore
import PortalTestSupport
import PortalWeb
import Testing
import Yams

/// `openapi.yaml` is the source of truth: every JSON route the portal answers is described there, every operation
/// described there is routed, and the `/api/docs` page shows each of them with an example.
@Suite struct APIContractTests {
    /// The routes that answer JSON (or CSV and Prometheus text for the open data and metrics) to programs.
    static func programRoutes(_ router: Router<AppRequestContext>) -> Set<String> {
        Set(
            router.routes.map { (method: $0.method.rawValue, path: "\($0.path)") }
                .filter { route in
                    (route.path.hasPrefix("/api/") && route.path != "/api/docs")
                        || ["/healthz", "/readyz", "/metrics"].contains(route.path)
                }
                .map { "\($0.method) \($0.path)" })
    }

    @Test func everyProgramRouteIsSpecifiedAndEverySpecifiedOperationIsRouted() async throws {
        try await TestDatabases.withDatabaseURL(.sqlite) { url, directory in
            let portal = try await Portal.open(
                config: TestPortal.config(url: url, dataDirectory: directory), logger: TestDatabases.quietLogger)
            do {
                let router = try await buildRouter(portal: portal, logger: TestDatabases.quietLogger)
                let routed = Self.programRoutes(router)
                let specified = try APIDocumentation(yaml: try OpenAPISpec.yaml(), baseURL: "").routes
                #expect(routed.count > 20)
                #expect(routed.subtracting(specified).isEmpty, "routed but not in openapi.yaml")
                #expect(specified.subtracting(routed).isEmpty, "in openapi.yaml but not routed")
            } catch {
                await portal.database.shutdown()
                throw error
            }
            await portal.database.shutdown()
        }
    }

    @Test func theDocumentationPageShowsEveryOperationWithAnExample() async throws {
        let documentation = try APIDocumentation(yaml: try OpenAPISpec.yaml(), baseURL: "http://127.0.0.1:8080")
        let sync = try #require(documentation.operations.first { $0.id == "syncDossiers" })
        #expect(sync.needsToken && sync.method == "POST")
        #expect(
            sync.curl.hasPrefix("curl -s -X POST -H 'Authorization: Bearer $TOKEN' -H 'Content-Type: application/json'")
        )
        #expect(sync.requestExample?.contains("\"dossier_code\"") == true)
        let lookup = try #require(documentation.operations.first { $0.id == "getDossierStatus" })
        #expect(lookup.curl == "curl -s 'http://127.0.0.1:8080/api/v1/dossiers/000.00.61.H29-250701-0001/status'")
        try await TestPortal.withClient(.sqlite) { client in
            try await client.execute(uri: "/api/docs?lang=en", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("text/html") == true)
                let page = response.text
                #expect(page.contains("<h1>Programming interface (API)</h1>"))
                for operation in documentation.operations {
                    #expect(page.contains("id=\"\(operation.id)\""), "\(operation.id) missing")
                }
                #expect(page.contains("/api/v1/stats/summary"))
            }
        }
    }
}

/// The portal reads an optional query parameter given empty (`?per_page=`) as left out, so the document must allow
/// an empty value wherever an empty string would not itself be a valid value: a number, a choice, a pattern or a
/// format. Otherwise a client following the document would expect a 400 that never comes.
@Suite struct EmptyQueryValueTests {
    @Test func everyOptionalQueryParameterAnEmptyStringWouldViolateAllowsAnEmptyValue() throws {
        let document = try #require(try Yams.load(yaml: try OpenAPISpec.yaml()) as? [String: Any])
        var missing: [String] = []
        var checked = 0
        for case let (path, item as [String: Any]) in try #require(document["paths"] as? [String: Any]) {
            for case let (method, operation as [String: Any]) in item {
                for parameter in operation["parameters"] as? [[String: Any]] ?? [] {
                    guard parameter["in"] as? String == "query", parameter["required"] as? Bool != true else {
                        continue
                    }
                    let schema = parameter["schema"] as? [String: Any] ?? [:]
                    let emptyViolates =
                        schema["type"] as? String == "integer" || schema["enum"] != nil || schema["pattern"] != nil
                        || schema["format"] != nil
                    guard emptyViolates else { continue }
                    checked += 1
                    if parameter["allowEmptyValue"] as? Bool != true {
                        missing.append("\(method.uppercased()) \(path) \(parameter["name"] ?? "?")")
                    }
                }
            }
        }
        #expect(checked > 20)
        #expect(missing.isEmpty, "\(missing.sorted())")
    }
}
