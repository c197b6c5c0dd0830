import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PortalCore
import PortalStore
import PortalTestSupport
import PortalWeb
import SQLKit
import Testing

/// A procedure whose fee is one clear amount is paid online with the application: submitting records the
/// obligation, the receipt asks for it, the desk cannot receive the dossier until the gateway's verified callback
/// has settled it, and then can.
@Suite struct FeeAtSubmissionTests {
    @Test(arguments: TestEngine.available)
    func theFeePaidWithTheApplicationComesBeforeReception(engine: TestEngine) async throws {
        try await TestPortal.withClientAndStorage(engine) { client, url, _ in
            try await PaymentTests.withDatabase(url) { database in
                let agency = PaymentTests.agency
                let procedure = try #require(try await CatalogueStore(database: database).procedure(code: "2.000635"))
                #expect(procedure.feeDueAtSubmission == 8_000)
                try await client.execute(uri: "/thu-tuc/2.000635", method: .get) { response in
                    #expect(response.text.contains("Lệ phí 8.000 ₫ được nộp trực tuyến khi nộp hồ sơ"))
                }
                try await client.execute(uri: "/thu-tuc/1.001193", method: .get) { response in
                    #expect(!response.text.contains("được nộp trực tuyến khi nộp hồ sơ"))
                }

                // The citizen submits through the pages.
                let citizen = try await DossierFlowTests.register(client, fields: AccountFlowTests.citizen)
                let ref = try await client.execute(
                    uri: "/ho-so", method: .post, headers: citizen.formHeaders,
                    body: AccountFlowTests.body([
                        ("procedure_code", "2.000635"), ("agency_code", agency), ("csrf_token", citizen.token),
                    ])
                ) { response in
                    #expect(response.status == .seeOther)
                    return String(try #require(response.headers[.location]).dropFirst("/ho-so/".count))
                }
                let (headers, body) = DossierFlowTests.multipart(
                    [("csrf_token", citizen.token), ("slot", "0")], file: ("to-khai.pdf", DossierFlowTests.pdf))
                try await client.execute(
                    uri: "/ho-so/\(ref)/tep", method: .post, headers: citizen.headers + headers, body: body
                ) { #expect($0.status == .seeOther) }
                try await client.execute(
                    uri: "/ho-so/\(ref)/luu", method: .post, headers: citizen.formHeaders,
                    body: AccountFlowTests.body([
                        ("request_details", "Cấp bản sao trích lục khai sinh"), ("next", "review"),
                        ("csrf_token", citizen.token),
                    ])
                ) { #expect($0.status == .seeOther) }
                try await client.execute(
                    uri: "/ho-so/\(ref)/nop", method: .post, headers: citizen.formHeaders,
                    body: AccountFlowTests.body([("csrf_token", citizen.token)])
                ) { response in
                    #expect(response.status == .seeOther, "\(response.text)")
                    #expect(response.headers[.location] == "/ho-so/\(ref)/bien-nhan")
                }
                let dossier = try await PaymentTests.dossier(database, ref)
                let obligations = try await Payments(database: database).obligations(dossierID: dossier.id)
                #expect(obligations.count == 1)
                let obligation = try #require(obligations.first)
                #expect(obligation.amount == 8_000 && obligation.state == .due)
                try await client.execute(uri: "/ho-so/\(ref)/bien-nhan", method: .get, headers: citizen.headers) {
                    #expect($0.text.contains("Lệ phí cần thanh toán") && $0.text.contains("8.000 ₫"))
                }

                // The desk cannot receive it yet.
                try await AdministratorAccounts(database: database, cost: 4).createStaff(
                    role: .officer, email: "canbo@xa.gov.vn", password: "mật khẩu cán bộ", fullName: "Cán Bộ",
                    agencyCode: agency)
                let officer = try await DossierFlowTests.officerSignIn(
                    client, email: "canbo@xa.gov.vn", password: "mật khẩu cán bộ")
                func receive() async throws -> (HTTPResponse.Status, String) {
                    let version = try await PaymentTests.dossier(database, ref).version
                    return try await client.execute(
                        uri: "/can-bo/ho-so/\(ref)/xu-ly", method: .post, headers: officer.formHeaders,
                        body: AccountFlowTests.body([
                            ("action", "receive"), ("version", String(version)), ("csrf_token", officer.token),
                        ])
                    ) { ($0.status, $0.text) }
                }
                let (early, page) = try await receive()
                #expect(early == .conflict && page.contains("Lệ phí nộp cùng hồ sơ chưa được thanh toán"))
                #expect(try await PaymentTests.dossier(database, ref).status == .submitted)

                // The citizen pays; the gateway's verified callback settles the obligation.
                let gatewayURL = try await client.execute(
                    uri: "/ho-so/\(ref)/thanh-toan/\(obligation.id)", method: .post, headers: citizen.formHeaders,
                    body: AccountFlowTests.body([("csrf_token", citizen.token)])
                ) { try #require($0.headers[.location]) }
                let order = try #require(PaymentTests.query(of: gatewayURL)["vnp_TxnRef"])
                #expect(PaymentTests.query(of: gatewayURL)["vnp_Amount"] == "800000")
                // A forged callback (wrong amount) settles nothing.
                #expect(
                    try await PaymentTests.ipn(client, PaymentTests.callback(order: order, amount: 1)) == "04")
                #expect(try await receive().0 == .conflict)
                #expect(try await PaymentTests.ipn(client, PaymentTests.callback(order: order, amount: 8_000)) == "00")
                // Paying did not move a dossier that was waiting for reception, not for payment.
                #expect(try await PaymentTests.dossier(database, ref).status == .submitted)
                let (received, _) = try await receive()
                #expect(received == .seeOther)
                #expect(try await PaymentTests.dossier(database, ref).status == .received)
            }
        }
    }
}
