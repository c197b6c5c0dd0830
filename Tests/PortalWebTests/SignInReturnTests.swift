import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PortalTestSupport
import Testing

/// Signing in returns to the page that asked for it, query included (a payer whose session ended at the gateway
/// comes back to the same result), and never to another site.
@Suite struct SignInReturnTests {
    @Test func signInReturnsToThePageWithItsQueryAndNowhereElse() async throws {
        try await TestPortal.withClient(.sqlite) { client in
            let page = "/thanh-toan/ket-qua?vnp_TxnRef=2026&vnp_Amount=15000000&vnp_OrderInfo=Thanh%20toan"
            let login = try await client.execute(uri: page, method: .get) { response in
                #expect(response.status == .seeOther)
                return try #require(response.headers[.location])
            }
            #expect(
                login
                    == "/dang-nhap?next=/thanh-toan/ket-qua%3Fvnp_TxnRef%3D2026%26vnp_Amount%3D15000000"
                    + "%26vnp_OrderInfo%3DThanh%2520toan")
            try await client.execute(uri: login, method: .get) { response in
                #expect(
                    response.text.contains(
                        "name=\"next\" value=\"\(page.replacingOccurrences(of: "&", with: "&amp;"))\""))
            }
            _ = try await DossierFlowTests.register(client, fields: AccountFlowTests.citizen)
            for (next, expected) in [(page, page), ("//evil.example/x", "/tai-khoan"), ("/a\\b", "/tai-khoan")] {
                let (cookie, token) = try await AccountFlowTests.anonymousToken(client)
                try await client.execute(
                    uri: "/dang-nhap", method: .post, headers: AccountFlowTests.form + [.cookie: cookie],
                    body: AccountFlowTests.body([
                        ("login", "an@example.vn"), ("password", "trâu ơi ta bảo trâu này"), ("csrf_token", token),
                        ("next", next),
                    ])
                ) { response in
                    #expect(response.status == .seeOther)
                    #expect(response.headers[.location] == expected, "\(next)")
                }
            }
        }
    }
}
