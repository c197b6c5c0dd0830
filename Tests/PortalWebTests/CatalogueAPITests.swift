import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PortalStore
import PortalTestSupport
import Testing

@Suite struct CatalogueAPITests {
    struct ErrorBody: Decodable {
        struct Detail: Decodable {
            let code: String
            let message: String
            let field: String?
        }
        let error: Detail
    }

    static func json(_ response: TestResponse) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(response.text.utf8)) as? [String: Any])
    }

    @Test(arguments: TestEngine.available)
    func proceduresAreSearchedWithThePaginatedContract(engine: TestEngine) async throws {
        try await TestPortal.withClient(engine) { client in
            try await client.execute(uri: "/api/v1/procedures?q=dang+ky+khai+sinh&per_page=2", method: .get) {
                response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "application/json; charset=utf-8")
                let body = try Self.json(response)
                #expect(Set(body.keys) == ["items", "total", "page", "per_page"])
                #expect(body["page"] as? Int == 1 && body["per_page"] as? Int == 2)
                let items = try #require(body["items"] as? [[String: Any]])
                #expect(items.count <= 2)
                let first = try #require(items.first)
                #expect(
                    Set(first.keys) == ["code", "name", "field", "agencies", "online_level", "processing_time", "fee"])
                #expect(first["code"] as? String == "1.001193")
                #expect(first["name"] as? String == "Đăng ký khai sinh")
                #expect(first["online_level"] as? String == "full")
                let agencies = try #require(first["agencies"] as? [[String: Any]])
                #expect(
                    agencies.contains {
                        $0["code"] as? String == "000.00.00.G15" && $0["name"] as? String == "Bộ Tư pháp"
                    })
                let fee = try #require(first["fee"] as? [String: Any])
                #expect(fee["amount"] as? Int == 0)
            }
            try await client.execute(uri: "/api/v1/procedures?level=commune&per_page=100", method: .get) { response in
                let items = try #require(try Self.json(response)["items"] as? [[String: Any]])
                #expect(!items.isEmpty)
            }
        }
    }

    @Test(arguments: TestEngine.available)
    func aProcedureIsReturnedInFullOrAsAJSON404(engine: TestEngine) async throws {
        try await TestPortal.withClient(engine) { client in
            try await client.execute(uri: "/api/v1/procedures/1.004222", method: .get) { response in
                #expect(response.status == .ok)
                let body = try Self.json(response)
                #expect(body["code"] as? String == "1.004222")
                #expect(body["name"] as? String == "Đăng ký thường trú")
                #expect((body["documents"] as? [[String: Any]])?.isEmpty == false)
                #expect((body["steps"] as? [String])?.isEmpty == false)
                #expect((body["channels"] as? [String])?.contains("online") == true)
                #expect(body["processing_time"] is [String: Any])
            }
            try await client.execute(uri: "/api/v1/procedures/9.999999", method: .get) { response in
                #expect(response.status == .notFound)
                let body = try JSONDecoder().decode(ErrorBody.self, from: Data(response.text.utf8))
                #expect(body.error.code == "not_found" && body.error.field == "code")
                #expect(body.error.message == "Không tìm thấy thủ tục có mã này")
            }
        }
    }

    @Test(arguments: TestEngine.available)
    func badParametersAreRefusedNamingTheParameter(engine: TestEngine) async throws {
        try await TestPortal.withClient(engine) { client in
            for (query, field) in [
                ("page=0", "page"), ("page=abc", "page"), ("per_page=1000", "per_page"), ("level=district", "level"),
                ("audience=x", "audience"), ("online_level=4", "online_level"),
            ] {
                try await client.execute(uri: "/api/v1/procedures?\(query)&lang=en", method: .get) { response in
                    #expect(response.status == .badRequest, "\(query)")
                    let body = try JSONDecoder().decode(ErrorBody.self, from: Data(response.text.utf8))
                    #expect(body.error.field == field, "\(query)")
                    #expect(body.error.message.contains(field), "\(query): \(body.error.message)")
                }
            }
        }
    }

    @Test(arguments: TestEngine.available)
    func provincesCommunesAndAgenciesAreListed(engine: TestEngine) async throws {
        try await TestPortal.withClient(engine) { client in
            try await client.execute(uri: "/api/v1/units/provinces", method: .get) { response in
                let body = try Self.json(response)
                #expect(body["total"] as? Int == 34)
                let items = try #require(body["items"] as? [[String: Any]])
                #expect(
                    items.contains { $0["code"] as? String == "79" && $0["name"] as? String == "Thành phố Hồ Chí Minh" }
                )
            }
            // The demo has no communes; the import fills them (tested in the store suite). An unknown province is 404.
            try await client.execute(uri: "/api/v1/units/provinces/01/communes", method: .get) { response in
                #expect(response.status == .ok)
                let body = try Self.json(response)
                #expect((body["province"] as? [String: Any])?["code"] as? String == "01")
            }
            try await client.execute(uri: "/api/v1/units/provinces/99/communes", method: .get) { response in
                #expect(response.status == .notFound)
            }
            try await client.execute(uri: "/api/v1/agencies?q=tu+phap", method: .get) { response in
                let body = try Self.json(response)
                let items = try #require(body["items"] as? [[String: Any]])
                #expect(
                    items.contains { $0["code"] as? String == "000.00.00.G15" && $0["short_code"] as? String == "G15" })
                #expect(items.allSatisfy { ($0["name"] as? String)?.contains("Tư pháp") == true })
            }
        }
    }
}
