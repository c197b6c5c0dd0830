import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PortalAPI
import PortalTestSupport
import Testing
import Yams

/// The operations compiled by swift-openapi-generator: the query checked against the document before the generated
/// decoder reads it, the one error body for what the generated code refuses, and the bodies that stand in for
/// generated types (`typeOverrides`) keeping to the document.
@Suite struct GeneratedAPITests {
    static let rules = Result { try QueryParameterRules(yaml: try OpenAPISpec.yaml()) }

    @Test func theQueryIsTrimmedEmptyParametersAreLeftOutAndOthersKept() throws {
        let rules = try Self.rules.get()
        #expect(
            try rules.normalized(
                query: "q=khai+sinh&page=+2+&per_page=&level=commune&lang=en&flag", operation: "searchProcedures")
                == "q=khai+sinh&page=2&level=commune&lang=en&flag")
        #expect(try rules.normalized(query: "q=%E1%BB%A7y%20ban", operation: "listAgencies") == "q=%E1%BB%A7y%20ban")
        #expect(try rules.normalized(query: "per_page=100&page=100000", operation: "listAgencies") != "")
        #expect(try rules.normalized(query: "", operation: "listProvinces") == "")
        #expect(try rules.normalized(query: "q=a+b&&lang=en", operation: "searchProcedures") == "q=a+b&&lang=en")
    }

    @Test(arguments: [
        ("page=0", "page"), ("page=1.5", "page"), ("page=2e3", "page"), ("page=100001", "page"),
        ("per_page=101", "per_page"), ("per_page=%EF%BC%92", "per_page"), ("level=district", "level"),
        ("level=Commune", "level"), ("audience=%00", "audience"), ("q=x&online_level=4", "online_level"),
    ])
    func aValueTheDocumentDoesNotAllowNamesItsParameter(query: String, parameter: String) throws {
        let rules = try Self.rules.get()
        #expect(throws: QueryParameterRules.Violation(parameter: parameter)) {
            try rules.normalized(query: Substring(query), operation: "searchProcedures")
        }
    }

    @Test func aRequiredParameterLeftOutOrEmptyIsNamedAndSecuredOperationsAreKnown() throws {
        let rules = try QueryParameterRules(
            yaml: """
                openapi: 3.1.0
                paths:
                  /x/{id}:
                    get:
                      operationId: x
                      security: [{agencyToken: []}]
                      parameters:
                        - {name: id, in: path, required: true, schema: {type: integer, minimum: 1}}
                        - {name: code, in: query, required: true, schema: {type: string}}
                """)
        #expect(throws: QueryParameterRules.Violation(parameter: "code", missing: true)) {
            try rules.normalized(query: "code=%20&other=1", operation: "x")
        }
        #expect(try rules.normalized(query: "code=a", operation: "x") == "code=a")
        #expect(rules.secured == ["x"])
        #expect(rules.integerPaths["x"]?.map(\.name) == ["id"])
        #expect(rules.integerPaths["x"]?.first?.kind == .integer(minimum: 1, maximum: nil))
        let document = try Self.rules.get()
        #expect(
            document.secured == [
                "syncDossiers", "pullInbox", "acknowledgeInbox", "registerWebhook", "listWebhooks", "removeWebhook",
            ])
    }

    @Test(arguments: TestEngine.available)
    func theLegacyConnectorAndThePaymentCallbackAlwaysAnswer200(engine: TestEngine) async throws {
        try await TestPortal.withClient(engine) { client in
            let cases = [
                ("/api/v1/sync/dvcqg/login", "{\"username\": ", "application/json"),
                ("/api/v1/sync/dvcqg", "not json", "text/plain"), ("/api/v1/sync/dvcqg", "[1,", "application/json"),
            ]
            for (uri, body, type) in cases {
                try await client.execute(
                    uri: uri, method: .post, headers: [.contentType: type], body: ByteBuffer(string: body)
                ) { response in
                    #expect(response.status == .ok, "\(uri) \(body)")
                    let json = try CatalogueAPITests.json(response)
                    #expect(json["error_code"] as? Int == 400 && json["session"] == nil, "\(json)")
                }
            }
            try await client.execute(
                uri: "/api/v1/sync/dvcqg/login", method: .post, headers: [.contentType: "text/plain"],
                body: ByteBuffer(string: #"{"username": 5, "password": "x"}"#)
            ) { response in
                #expect(response.status == .ok)
                let json = try CatalogueAPITests.json(response)
                #expect(json["error_code"] as? Int == 1 && json["session"] == nil)
            }
            try await client.execute(uri: "/api/v1/payments/ipn?vnp_TxnRef=1", method: .get) { response in
                #expect(response.status == .ok)
                let json = try CatalogueAPITests.json(response)
                #expect(json["RspCode"] as? String == "97")
            }
            try await client.execute(
                uri: "/api/v1/sync/webhooks/abc", method: .delete, headers: [.authorization: "Bearer nope"]
            ) { response in
                #expect(response.status == .unauthorized)
            }
        }
    }

    @Test(arguments: TestEngine.available)
    func badQueriesAndUnmetAcceptHeadersGetTheErrorBodyInTheReadersLanguage(engine: TestEngine) async throws {
        try await TestPortal.withClient(engine) { client in
            try await client.execute(uri: "/api/v1/agencies?per_page=%20&page=%202%20&lang=en", method: .get) {
                response in
                #expect(response.status == .ok)
                let body = try CatalogueAPITests.json(response)
                #expect(body["page"] as? Int == 2 && body["per_page"] as? Int == 20)
            }
            try await client.execute(uri: "/api/v1/stats/summary?lang=en", method: .get) { _ in }
            try await client.execute(uri: "/api/v1/agencies?page=x&lang=en", method: .get) { response in
                #expect(response.status == .badRequest)
                let body = try JSONDecoder().decode(CatalogueAPITests.ErrorBody.self, from: Data(response.text.utf8))
                #expect(body.error.field == "page" && body.error.code == "invalid_parameter")
                #expect(body.error.message == "page must be a whole number from 1 to 100000")
            }
            for (uri, field, message) in [
                ("/api/v1/hotlines?per_page=201", "per_page", "per_page must be a whole number from 1 to 200"),
                ("/api/v1/procedures?level=district", "level", "level must be one of: central, province, commune"),
            ] {
                try await client.execute(uri: uri + "&lang=en", method: .get) { response in
                    #expect(response.status == .badRequest, "\(uri)")
                    let body = try JSONDecoder().decode(
                        CatalogueAPITests.ErrorBody.self, from: Data(response.text.utf8))
                    #expect(body.error.field == field && body.error.message == message, "\(uri): \(body.error)")
                }
            }
            // The ends of the calendar: answered, never a crash.
            for uri in [
                "/api/v1/stats/procedures?to=0001-01-05", "/api/v1/stats/agencies?to=0001-01-05",
                "/api/v1/stats/agencies.csv?from=9999-01-01&to=9999-12-31",
            ] {
                try await client.execute(uri: uri, method: .get) { response in
                    #expect(response.status == .ok, "\(uri)")
                }
            }
            try await client.execute(uri: "/api/v1/hotlines?per_page=200", method: .get) { response in
                #expect(response.status == .ok)
                let item = try #require((try CatalogueAPITests.json(response)["items"] as? [[String: Any]])?.first)
                #expect(item["email"] is NSNull && item["agency"] is NSNull, "nullable fields are written as null")
            }
            try await client.execute(uri: "/api/v1/stats/agencies.csv?from=2026-01-01&to=2026-06-30", method: .get) {
                response in
                #expect(
                    response.headers[.contentDisposition]
                        == "attachment; filename=\"opendvc-agencies-2026-01-01-2026-06-30.csv\"")
            }
            try await client.execute(
                uri: "/api/v1/procedures/1.001193", method: .get,
                headers: [.accept: "text/html", .acceptLanguage: "en"]
            ) { response in
                #expect(response.status == .notAcceptable)
                #expect(response.headers[.contentType] == "application/json; charset=utf-8")
                let body = try JSONDecoder().decode(CatalogueAPITests.ErrorBody.self, from: Data(response.text.utf8))
                #expect(body.error.code == "not_acceptable")
                #expect(body.error.message.contains("Accept"))
            }
            try await client.execute(uri: "/readyz", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.cacheControl] == "no-store")
                let body = try CatalogueAPITests.json(response)
                #expect(body["status"] as? String == "ready" && body["schema_version"] as? Int != nil)
            }
        }
    }

    @Test func theDossierStatusBodyWritesEveryPropertyOfTheDocumentNullIncluded() throws {
        let document = try #require(try Yams.load(yaml: try OpenAPISpec.yaml()) as? [String: Any])
        let schema = try #require(
            ((document["components"] as? [String: Any])?["schemas"] as? [String: Any])?["DossierStatus"]
                as? [String: Any])
        let properties = Set((schema["properties"] as? [String: Any] ?? [:]).keys)
        let required = Set(schema["required"] as? [String] ?? [])
        #expect(required == properties)
        let body = DossierStatusBody(
            code: "000.00.61.H29-250701-0001", procedure: .init(code: "1.001193", name: "Đăng ký khai sinh"),
            agency: .init(code: "000.00.61.H29", name: "UBND"), status: .init(code: 2, name: "Đang xử lý"),
            receivedAt: nil, dueAt: nil, timeline: [.init(status: 2, at: "2025-07-01T08:00:00+07:00")])
        let json = try #require(
            try JSONSerialization.jsonObject(with: try JSONEncoder().encode(body)) as? [String: Any])
        #expect(Set(json.keys) == properties)
        #expect(json["received_at"] is NSNull && json["due_at"] is NSNull)
        #expect(try JSONDecoder().decode(DossierStatusBody.self, from: try JSONEncoder().encode(body)) == body)
    }
}
