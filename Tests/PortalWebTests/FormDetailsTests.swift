import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PortalTestSupport
import Testing

@Suite struct FormDetailsTests {
    static func citizen(birth: (String, String, String)) -> [(String, String)] {
        AccountFlowTests.citizen.filter { $0.0 != "birth_date" } + [
            ("birth_date_day", birth.0), ("birth_date_month", birth.1), ("birth_date_year", birth.2),
        ]
    }

    @Test(arguments: TestEngine.available)
    func theBirthDateIsAskedAsThreeFieldsAndKeptOnError(engine: TestEngine) async throws {
        try await TestPortal.withClient(engine) { client in
            try await client.execute(uri: "/dang-ky", method: .get) { response in
                for name in ["birth_date_day", "birth_date_month", "birth_date_year"] {
                    #expect(response.text.contains("name=\"\(name)\""))
                }
                #expect(response.text.contains("inputmode=\"numeric\""))
            }
            let (cookie, token) = try await AccountFlowTests.anonymousToken(client)
            try await client.execute(
                uri: "/dang-ky", method: .post, headers: AccountFlowTests.form + [.cookie: cookie],
                body: AccountFlowTests.body(Self.citizen(birth: ("31", "2", "1990")) + [("csrf_token", token)])
            ) { response in
                #expect(response.status == .unprocessableContent)
                #expect(response.text.contains("<a href=\"#birth_date\">"))
                #expect(response.text.contains("id=\"birth_date_day\" name=\"birth_date_day\""))
                #expect(response.text.contains("value=\"31\""))
                #expect(response.text.contains("ngày, tháng và năm"))
            }
            try await client.execute(
                uri: "/dang-ky", method: .post, headers: AccountFlowTests.form + [.cookie: cookie],
                body: AccountFlowTests.body(Self.citizen(birth: ("27", "3", "1990")) + [("csrf_token", token)])
            ) { response in
                #expect(response.status == .seeOther)
            }
        }
    }

    @Test(arguments: TestEngine.available)
    func aBrowserCallingTheAPIWithItsSessionMustSendTheTokenHeader(engine: TestEngine) async throws {
        try await TestPortal.withClient(engine) { client in
            let browser = try await DossierFlowTests.register(client, fields: AccountFlowTests.citizen)
            let path = "/api/v1/sync/dossiers"
            try await client.execute(uri: path, method: .post, headers: browser.headers) { response in
                #expect(response.status == .forbidden)
                #expect(response.text.contains("\"code\":\"csrf_failed\""))
                #expect(response.text.contains("\"field\":\"X-CSRF-Token\""))
            }
            try await client.execute(
                uri: path, method: .post, headers: browser.headers + [HTTPField.Name("X-CSRF-Token")!: browser.token]
            ) { response in
                #expect(response.status == .unauthorized)
            }
            // Without a session (an agency system) the API's own authentication applies.
            try await client.execute(uri: path, method: .post) { response in
                #expect(response.status == .unauthorized)
            }
        }
    }
}
