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

/// Online payment over HTTP on each engine: through the sandbox gateway to a receipt, then forged, replayed,
/// expired and racing callbacks.
@Suite struct PaymentTests {
    static let secret = "opendvc-sandbox-secret"
    static let agency = "000.00.61.H29"

    struct Setup {
        let citizen: DossierFlowTests.Browser
        let citizenID: Int64
        let ref: String
        let code: String
        let obligationID: Int64
    }

    static func accountID(_ database: Database, email: String) async throws -> Int64 {
        try #require(
            try await database.sql.raw("SELECT id FROM accounts WHERE email = \(bind: email)").first()?
                .decode(column: "id", as: Int64.self))
    }

    /// A citizen (registered over HTTP) with a dossier for which an officer asked 150,000 ₫, and an officer who
    /// can sign in.
    static func dossierAwaitingPayment(_ client: any TestClientProtocol, _ database: Database) async throws -> Setup {
        let citizen = try await DossierFlowTests.register(client, fields: AccountFlowTests.citizen)
        let citizenID = try await accountID(database, email: "an@example.vn")
        try await AdministratorAccounts(database: database, cost: 4).createStaff(
            role: .officer, email: "canbo@xa.gov.vn", password: "mật khẩu cán bộ", fullName: "Trần Thị Cán Bộ",
            agencyCode: agency)
        let officerID = try await accountID(database, email: "canbo@xa.gov.vn")
        let (ref, code) = try await WebhookTests.submitDossier(database, agency: agency, citizenID: citizenID)
        let store = DossierStore(database: database)
        let officer = DossierStore.Actor(accountID: officerID, role: "officer")
        for action in [DossierAction.receive, .requestPayment(amount: 150_000)] {
            _ = try await store.apply(
                action, ref: ref, expectedVersion: nil, actor: officer, processingTime: nil, calendar: .vietnam,
                notifyEmail: nil)
        }
        let dossierID = try #require(try await store.dossier(ref: ref)).id
        let obligation = try #require(try await Payments(database: database).obligations(dossierID: dossierID).first)
        #expect(obligation.amount == 150_000 && obligation.state == .due)
        return Setup(
            citizen: citizen, citizenID: citizenID, ref: ref, code: code,
            obligationID: obligation.id)
    }

    /// A gateway callback for an order, signed with `secret`.
    static func callback(
        order: String, amount: Int64, approved: Bool = true, secret: String = secret, merchant: String = "OPENDVC",
        transaction: String = "14226112"
    ) -> [String: String] {
        GatewaySignature.signed(
            [
                "vnp_TmnCode": merchant, "vnp_TxnRef": order, "vnp_Amount": String(amount * 100),
                "vnp_ResponseCode": approved ? "00" : "24", "vnp_TransactionStatus": approved ? "00" : "02",
                "vnp_TransactionNo": transaction, "vnp_BankCode": "NCB", "vnp_PayDate": "20261129101530",
                "vnp_OrderInfo": "Thanh toan ho so",
            ], secret: secret)
    }

    static func ipn(_ client: any TestClientProtocol, _ parameters: [String: String]) async throws -> String {
        try await client.execute(
            uri: "/api/v1/payments/ipn?" + GatewaySignature.query(parameters), method: .get
        ) { response in
            #expect(response.status == .ok)
            let json = try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any]
            #expect(json?["Message"] is String)
            return json?["RspCode"] as? String ?? ""
        }
    }

    static func query(of location: String) -> [String: String] {
        var parameters: [String: String] = [:]
        for item in URLComponents(string: location)?.queryItems ?? [] { parameters[item.name] = item.value ?? "" }
        return parameters
    }

    /// Runs `body` with a second connection pool on the test database, closed afterwards whatever happens.
    static func withDatabase(_ url: DatabaseURL, _ body: (Database) async throws -> Void) async throws {
        let database = try await Database.open(url, logger: TestDatabases.quietLogger)
        do {
            try await body(database)
        } catch {
            await database.shutdown()
            throw error
        }
        await database.shutdown()
    }

    static func dossier(_ database: Database, _ ref: String) async throws -> Dossier {
        try #require(try await DossierStore(database: database).dossier(ref: ref))
    }

    @Test(arguments: TestEngine.available)
    func thePayerPaysThroughTheSandboxAndTheDossierMovesOn(engine: TestEngine) async throws {
        try await TestPortal.withClientAndStorage(engine) { client, url, _ in
            try await Self.withDatabase(url) { database in
                let setup = try await Self.dossierAwaitingPayment(client, database)
                let citizen = setup.citizen
                try await client.execute(uri: "/ho-so/\(setup.ref)", method: .get, headers: citizen.headers) {
                    response in
                    #expect(response.text.contains("150.000 ₫"))
                    #expect(response.text.contains("action=\"/ho-so/\(setup.ref)/thanh-toan/\(setup.obligationID)\""))
                }
                func pay() async throws -> String {
                    try await client.execute(
                        uri: "/ho-so/\(setup.ref)/thanh-toan/\(setup.obligationID)", method: .post,
                        headers: citizen.formHeaders, body: AccountFlowTests.body([("csrf_token", citizen.token)])
                    ) { response in
                        #expect(response.status == .seeOther)
                        return try #require(response.headers[.location])
                    }
                }
                let gatewayURL = try await pay()
                #expect(gatewayURL.hasPrefix("/sandbox-gateway/pay?"))
                let request = Self.query(of: gatewayURL)
                #expect(GatewaySignature.isValid(request, secret: Self.secret))
                #expect(request["vnp_Amount"] == "15000000" && request["vnp_TmnCode"] == "OPENDVC")
                let order = try #require(request["vnp_TxnRef"])
                // While an attempt waits at the gateway, paying again resumes it.
                #expect(Self.query(of: try await pay())["vnp_TxnRef"] == order)

                // The sandbox refuses a request whose amount was changed after signing.
                var tampered = request
                tampered["vnp_Amount"] = "100"
                try await client.execute(
                    uri: "/sandbox-gateway/pay?" + GatewaySignature.query(tampered), method: .get,
                    headers: citizen.headers
                ) { #expect($0.status == .badRequest) }
                let sandboxToken = try await client.execute(uri: gatewayURL, method: .get, headers: citizen.headers) {
                    response in
                    #expect(response.status == .ok)
                    #expect(response.text.contains("150.000 ₫"))
                    return try #require(response.csrfToken)
                }
                let returnURL = try await client.execute(
                    uri: "/sandbox-gateway/pay", method: .post, headers: citizen.formHeaders,
                    body: AccountFlowTests.body([
                        ("csrf_token", sandboxToken), ("order", order), ("amount", "15000000"),
                        ("info", "Thanh toan ho so"), ("action", "approve"),
                    ])
                ) { response in
                    #expect(response.status == .seeOther)
                    return try #require(response.headers[.location])
                }
                #expect(returnURL.hasPrefix("/thanh-toan/ket-qua?"))
                try await client.execute(uri: returnURL, method: .get, headers: citizen.headers) { response in
                    #expect(response.status == .ok)
                    #expect(response.text.contains("Thanh toán thành công"))
                    #expect(response.text.contains("/ho-so/\(setup.ref)/bien-lai/\(order)"))
                }
                // The callback moved the dossier on to processing, once.
                let paid = try await Self.dossier(database, setup.ref)
                #expect(paid.status == .processing)
                let events = paid.events.count
                // The gateway sends the same callback again: the same answer, nothing changes.
                #expect(try await Self.ipn(client, Self.query(of: returnURL)) == "00")
                #expect(try await Self.dossier(database, setup.ref).events.count == events)

                // A return address whose query was edited is not believed.
                var forged = Self.query(of: returnURL)
                forged["vnp_ResponseCode"] = "24"
                try await client.execute(
                    uri: "/thanh-toan/ket-qua?" + GatewaySignature.query(forged), method: .get, headers: citizen.headers
                ) { response in
                    #expect(response.status == .badRequest)
                    #expect(!response.text.contains("Thanh toán thành công"))
                }
                try await client.execute(
                    uri: "/ho-so/\(setup.ref)/bien-lai/\(order)", method: .get, headers: citizen.headers
                ) { response in
                    #expect(response.status == .ok)
                    #expect(response.text.contains("150.000 ₫") && response.text.contains(order))
                    #expect(response.headers[.cacheControl] == "no-store")
                }
                // Paying an obligation already paid is refused.
                try await client.execute(
                    uri: "/ho-so/\(setup.ref)/thanh-toan/\(setup.obligationID)", method: .post,
                    headers: citizen.formHeaders, body: AccountFlowTests.body([("csrf_token", citizen.token)])
                ) { #expect($0.status == .conflict) }
                // Nobody else sees the receipt.
                try await client.execute(uri: "/ho-so/\(setup.ref)/bien-lai/\(order)", method: .get) {
                    #expect($0.status != .ok)
                }

                // The officer's daily reconciliation lists the payment and the total.
                let officer = try await DossierFlowTests.officerSignIn(
                    client, email: "canbo@xa.gov.vn", password: "mật khẩu cán bộ")
                let today = VietnamTime.localDate(of: Date()).description
                try await client.execute(
                    uri: "/can-bo/doi-soat.csv?ngay=\(today)", method: .get, headers: officer.headers
                ) { response in
                    #expect(response.status == .ok)
                    let lines = response.text.components(separatedBy: "\r\n").filter { !$0.isEmpty }
                    #expect(lines.first == "order_id,dossier_code,amount,state,transaction_no,bank_code,confirmed_at")
                    #expect(lines.contains { $0.hasPrefix("\(order),\(setup.code),150000,paid,") })
                    #expect(lines.last == "total_paid,,150000,,,,")
                }
                try await client.execute(
                    uri: "/can-bo/doi-soat.csv?ngay=hom-nay", method: .get, headers: officer.headers
                ) {
                    #expect($0.status == .badRequest)
                }
            }
        }
    }

    @Test(arguments: TestEngine.available)
    func forgedReplayedExpiredAndRacingCallbacksNeverChargeTwice(engine: TestEngine) async throws {
        try await TestPortal.withClientAndStorage(engine) { client, url, _ in
            try await Self.withDatabase(url) { database in
                let setup = try await Self.dossierAwaitingPayment(client, database)
                let payments = Payments(database: database)
                let first = try await payments.start(obligationID: setup.obligationID, applicantID: setup.citizenID)

                // Forgeries change nothing.
                #expect(
                    try await Self.ipn(client, Self.callback(order: first.orderID, amount: 150_000, secret: "x"))
                        == "97")
                #expect(
                    try await Self.ipn(client, Self.callback(order: first.orderID, amount: 150_000, merchant: "OTHER"))
                        == "97")
                #expect(try await Self.ipn(client, Self.callback(order: "20260101000000123", amount: 150_000)) == "01")
                #expect(try await Self.ipn(client, Self.callback(order: first.orderID, amount: 1_000)) == "04")
                var unsigned = Self.callback(order: first.orderID, amount: 150_000)
                unsigned.removeValue(forKey: "vnp_SecureHash")
                #expect(try await Self.ipn(client, unsigned) == "97")
                #expect(try await payments.payment(orderID: first.orderID)?.state == .pending)
                #expect(try await Self.dossier(database, setup.ref).status == .paymentRequested)

                // A declined attempt is recorded (and the same answer comes back when replayed); the payer may retry.
                let decline = Self.callback(order: first.orderID, amount: 150_000, approved: false)
                #expect(try await Self.ipn(client, decline) == "00")
                #expect(try await Self.ipn(client, decline) == "00")
                #expect(try await payments.payment(orderID: first.orderID)?.state == .declined)

                // An attempt left at the gateway expires; the next start makes a new one.
                let second = try await payments.start(obligationID: setup.obligationID, applicantID: setup.citizenID)
                #expect(second.orderID != first.orderID)
                let later = Date().addingTimeInterval(Payments.lifetime + 60)
                let third = try await payments.start(
                    obligationID: setup.obligationID, applicantID: setup.citizenID, now: later)
                #expect(third.orderID != second.orderID)
                #expect(
                    try await payments.payments(obligationID: setup.obligationID, now: later).first {
                        $0.orderID == second.orderID
                    }?.state == .expired)

                // The gateway approves both the expired attempt and the new one at the same moment: one pays, the other
                // is kept for a refund, and the dossier moves on once.
                async let a = Self.ipn(client, Self.callback(order: second.orderID, amount: 150_000, transaction: "1"))
                async let b = Self.ipn(client, Self.callback(order: third.orderID, amount: 150_000, transaction: "2"))
                let answers = try await [a, b].sorted()
                #expect(answers == ["00", "02"])
                let attempts = try await payments.payments(obligationID: setup.obligationID)
                #expect(attempts.filter { $0.state == .paid }.count == 1)
                #expect(attempts.filter { $0.state == .refundDue }.count == 1)
                let dossier = try await Self.dossier(database, setup.ref)
                #expect(dossier.status == .processing)
                #expect(dossier.history.filter { $0.actor == .system && $0.status == .processing }.count == 1)
                // Replays answer as before.
                let paidOrder = try #require(attempts.first { $0.state == .paid }).orderID
                let refundOrder = try #require(attempts.first { $0.state == .refundDue }).orderID
                #expect(try await Self.ipn(client, Self.callback(order: paidOrder, amount: 150_000)) == "00")
                #expect(try await Self.ipn(client, Self.callback(order: refundOrder, amount: 150_000)) == "02")
                await #expect(throws: PaymentError.notDue) {
                    _ = try await payments.start(obligationID: setup.obligationID, applicantID: setup.citizenID)
                }
                // Someone else's dossier's obligation cannot be started.
                await #expect(throws: PaymentError.notFound) {
                    _ = try await payments.start(obligationID: setup.obligationID, applicantID: setup.citizenID + 1000)
                }
                // The reconciliation shows the payment and the charge to refund.
                let rows = try await payments.reconciliation(
                    agencyCode: Self.agency, day: VietnamTime.localDate(of: Date()))
                #expect(Set(rows.map(\.state)) == [.paid, .refundDue])
            }
        }
    }
}
