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

/// Webhooks end to end: an agency registers a receiver over the API, a dossier is submitted and withdrawn on the
/// portal, and the job worker's sender posts signed deliveries to a real local receiver on 127.0.0.1, which fails
/// the first attempt; the retry succeeds, the log shows both attempts, and an administrator's replay sends the
/// same delivery again.
@Suite struct WebhookTests {
    /// What the local receiver saw.
    actor Receiver {
        struct Request: Sendable {
            let headers: HTTPFields
            let body: Data
        }
        var requests: [Request] = []
        var failuresLeft: Int

        init(failures: Int) { failuresLeft = failures }

        /// Records a request; answers whether it should fail.
        func record(_ request: Request) -> Bool {
            requests.append(request)
            guard failuresLeft > 0 else { return false }
            failuresLeft -= 1
            return true
        }
    }

    static func receiverApplication(_ receiver: Receiver) -> some ApplicationProtocol {
        let router = Router()
        router.post("/hook") { request, _ in
            let body = try await request.body.collect(upTo: 1 << 20)
            let fail = await receiver.record(.init(headers: request.headers, body: Data(body.readableBytesView)))
            return Response(status: fail ? .internalServerError : .noContent)
        }
        return Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
    }

    static func register(
        _ client: any TestClientProtocol, token: String?, body: String
    ) async throws -> (HTTPResponse.Status, [String: Any]) {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let token { headers[.authorization] = "Bearer \(token)" }
        return try await client.execute(
            uri: "/api/v1/sync/webhooks", method: .post, headers: headers, body: ByteBuffer(string: body)
        ) { response in
            let json =
                (try? JSONSerialization.jsonObject(with: Data(response.body.readableBytesView))) as? [String: Any]
            return (response.status, json ?? [:])
        }
    }

    /// Submits a dossier at `agency` for a new citizen, straight through the store.
    static func submitDossier(_ database: Database, agency: String, citizen number: Int = 1234) async throws -> (
        ref: String, code: String, citizen: Int64
    ) {
        let citizen = try await AccountStore(database: database).register(
            .init(
                role: "citizen", personalID: String(format: "00109000%04d", number), taxCode: nil,
                fullName: "Nguyễn Văn An", birthDate: "1990-03-27", sex: "male", phone: "0912345678",
                email: "an\(number)@example.vn", provinceCode: "01", communeCode: nil, passwordHash: "x"))
        let (ref, code) = try await submitDossier(database, agency: agency, citizenID: citizen)
        return (ref, code, citizen)
    }

    /// Submits a birth-registration dossier at `agency` for an existing citizen, straight through the store.
    static func submitDossier(_ database: Database, agency: String, citizenID citizen: Int64) async throws -> (
        ref: String, code: String
    ) {
        let procedure = try #require(try await CatalogueStore(database: database).procedure(code: "1.001193"))
        let store = DossierStore(database: database)
        let applicant = Applicant(
            accountType: "citizen", fullName: "Nguyễn Văn An", personalID: "001090001234", taxCode: nil,
            birthDate: nil, sex: nil, phone: nil, email: "an@example.vn", provinceName: nil, communeName: nil)
        let ref = try await store.createDraft(
            procedureCode: procedure.code, agencyCode: agency, applicantID: citizen, applicant: applicant,
            actorRole: "citizen")
        try await store.saveForm(ref: ref, applicantID: citizen, values: ["request_details": "Khai sinh"])
        let draft = try #require(try await store.dossier(ref: ref))
        _ = try await store.addFile(
            dossierID: draft.id, purpose: .application, slot: 0, name: "to-khai.pdf",
            sha256: String(repeating: "a", count: 64), size: 10, kind: "pdf",
            uploadedBy: .init(accountID: citizen, role: "citizen"), maximumDossierBytes: 1000)
        let submitted = try await store.submit(
            ref: ref, actor: .init(accountID: citizen, role: "citizen"),
            schema: DossierFormSchema.standard(for: procedure), notifyEmail: nil)
        return (ref, try #require(submitted.code))
    }

    /// Runs the due webhook jobs once, as the worker would, returning how many failed.
    static func runDeliveries(_ database: Database, at now: Date) async throws -> Int {
        let queue = JobQueue(database: database)
        let sender = WebhookSender(database: database, timeout: 5)
        var failed = 0
        for job in try await queue.claim(workerID: "test", limit: 20, lease: .seconds(60), now: now)
        where job.kind == Webhooks.jobKind {
            do {
                try await sender.handle(job)
                _ = try await queue.complete(job, now: now)
            } catch {
                failed += 1
                _ = try await queue.fail(job, reason: "\(error)", now: now)
            }
        }
        return failed
    }

    @Test(arguments: TestEngine.available)
    func signedDeliveriesAreRetriedLoggedAndReplayed(engine: TestEngine) async throws {
        let receiver = Receiver(failures: 1)
        try await Self.receiverApplication(receiver).test(.live) { receiverClient in
            let port = try #require(receiverClient.port)
            try await TestPortal.withClientAndStorage(engine) { client, url, _ in
                let token = try await SyncTests.token(url)
                // Bad registrations name their field; nothing is stored.
                for (body, field, status) in [
                    (#"{"url":"http://example.com/hook","events":["dossier.submitted"]}"#, "url", 422),
                    (#"{"url":"ftp://127.0.0.1/hook","events":["dossier.submitted"]}"#, "url", 422),
                    (#"{"url":"https://example.com/hook","events":["dossier.eaten"]}"#, "events", 422),
                    (#"{"url":"https://example.com/hook","events":[]}"#, "events", 422),
                    (#"{"url":"https://example.com/hook""#, "body", 400),
                ] {
                    let (answer, json) = try await Self.register(client, token: token, body: body)
                    #expect(answer.code == status, "\(body)")
                    #expect((json["error"] as? [String: Any])?["field"] as? String == field, "\(body)")
                }
                let (unauthorised, _) = try await Self.register(
                    client, token: nil, body: #"{"url":"https://example.com/h","events":["dossier.submitted"]}"#)
                #expect(unauthorised == .unauthorized)

                let (created, subscription) = try await Self.register(
                    client, token: token,
                    body:
                        #"{"url":"http://127.0.0.1:\#(port)/hook","events":["dossier.submitted","dossier.withdrawn"]}"#)
                #expect(created == .created)
                let secret = try #require(subscription["secret"] as? String)
                #expect(secret.count == 64)
                #expect(subscription["events"] as? [String] == ["dossier.submitted", "dossier.withdrawn"])
                try await client.execute(
                    uri: "/api/v1/sync/webhooks", method: .get, headers: [.authorization: "Bearer \(token)"]
                ) { response in
                    #expect(response.status == .ok)
                    #expect(response.text.contains("127.0.0.1:\(port)/hook") && !response.text.contains(secret))
                }

                let database = try await Database.open(url, logger: TestDatabases.quietLogger)
                do {
                    let (ref, code, citizen) = try await Self.submitDossier(database, agency: SyncTests.agency)
                    // The receiver fails the first attempt; the job is retried after its backoff and succeeds.
                    #expect(try await Self.runDeliveries(database, at: Date()) == 1)
                    #expect(try await Self.runDeliveries(database, at: Date().addingTimeInterval(3600)) == 0)
                    let requests = await receiver.requests
                    #expect(requests.count == 2)
                    for request in requests {
                        let signature = try #require(request.headers[HTTPField.Name("X-OpenDVC-Signature")!])
                        let timestamp = try #require(
                            request.headers[HTTPField.Name("X-OpenDVC-Timestamp")!].flatMap { Int64($0) })
                        #expect(
                            WebhookSignature.isValid(
                                signature, secret: secret, timestamp: timestamp, body: request.body))
                        #expect(
                            !WebhookSignature.isValid(
                                signature, secret: "wrong", timestamp: timestamp, body: request.body))
                        #expect(request.headers[HTTPField.Name("X-OpenDVC-Event")!] == "dossier.submitted")
                        let payload = try #require(
                            try JSONSerialization.jsonObject(with: request.body) as? [String: Any])
                        #expect(payload["event"] as? String == "dossier.submitted")
                        let dossier = try #require(payload["dossier"] as? [String: Any])
                        #expect(dossier["code"] as? String == code && dossier["status"] as? Int == 1)
                        // No personal data travels in a webhook.
                        let text = String(decoding: request.body, as: UTF8.self)
                        #expect(!text.contains("Nguyễn") && !text.contains("001090001234") && !text.contains("an@"))
                    }
                    #expect(
                        requests[0].headers[HTTPField.Name("X-OpenDVC-Delivery")!]
                            == requests[1].headers[HTTPField.Name("X-OpenDVC-Delivery")!])

                    let webhooks = Webhooks(database: database)
                    let (log, total) = try await webhooks.deliveries()
                    #expect(total == 1)
                    let delivery = try #require(log.first)
                    #expect(delivery.state == .delivered && delivery.attempts == 2 && delivery.lastStatus == 204)
                    let attempts = try await webhooks.attempts(deliveryID: delivery.id)
                    #expect(attempts.map(\.status) == [500, 204])

                    // An administrator replays it: the same delivery id arrives again.
                    #expect(try await webhooks.replay(id: delivery.id))
                    #expect(try await Self.runDeliveries(database, at: Date().addingTimeInterval(7200)) == 0)
                    let replayed = await receiver.requests
                    #expect(replayed.count == 3)
                    #expect(
                        replayed[2].headers[HTTPField.Name("X-OpenDVC-Delivery")!]
                            == requests[0].headers[HTTPField.Name("X-OpenDVC-Delivery")!])

                    // A withdrawal is an event too; an event nobody subscribed to sends nothing.
                    _ = try await DossierStore(database: database).apply(
                        .withdraw(reason: "Không cần nữa"), ref: ref, expectedVersion: nil,
                        actor: .init(accountID: citizen, role: "citizen"), processingTime: nil, calendar: .vietnam,
                        notifyEmail: nil)
                    #expect(try await Self.runDeliveries(database, at: Date().addingTimeInterval(10_800)) == 0)
                    let last = await receiver.requests
                    #expect(last.count == 4)
                    #expect(last[3].headers[HTTPField.Name("X-OpenDVC-Event")!] == "dossier.withdrawn")
                } catch {
                    await database.shutdown()
                    throw error
                }
                await database.shutdown()
            }
        }
    }

    @Test(arguments: TestEngine.available)
    func theDeliveryLogIsForAdministratorsAndARemovedSubscriptionSendsNothing(engine: TestEngine) async throws {
        try await TestPortal.withClientAndStorage(engine) { client, url, _ in
            let token = try await SyncTests.token(url)
            let (_, subscription) = try await Self.register(
                client, token: token,
                body: #"{"url":"https://hooks.example.vn/opendvc","events":["dossier.submitted"]}"#)
            let id = try #require(subscription["id"] as? Int)
            let database = try await Database.open(url, logger: TestDatabases.quietLogger)
            do {
                _ = try await Self.submitDossier(database, agency: SyncTests.agency)
                try await AdministratorAccounts(database: database, cost: 4).create(
                    email: "admin@example.gov.vn", password: AdminFlowTests.password, fullName: "Quản Trị")
            } catch {
                await database.shutdown()
                throw error
            }
            // Nobody but an administrator sees the log.
            try await client.execute(uri: "/quan-tri/webhook", method: .get) { response in
                #expect(response.status != .ok)
                #expect(!response.text.contains("hooks.example.vn"))
            }
            let admin = try await DossierFlowTests.officerSignIn(
                client, email: "admin@example.gov.vn", password: AdminFlowTests.password, probe: "/quan-tri")
            let deliveryID = try await client.execute(uri: "/quan-tri/webhook", method: .get, headers: admin.headers) {
                response in
                #expect(response.status == .ok)
                #expect(response.text.contains("hooks.example.vn") && response.text.contains("dossier.submitted"))
                #expect(response.text.contains("Đang chờ gửi"))
                return try DossierFlowTests.firstMatch(#"/quan-tri/webhook/([0-9]+)/gui-lai"#, in: response.text)
            }
            try await client.execute(
                uri: "/quan-tri/webhook/\(deliveryID)", method: .get, headers: admin.headers
            ) { response in
                #expect(response.status == .ok)
                #expect(response.text.contains("https://hooks.example.vn/opendvc"))
                #expect(response.text.contains("Chưa gửi lần nào."))
            }
            try await client.execute(
                uri: "/quan-tri/webhook/\(deliveryID)/gui-lai", method: .post, headers: admin.formHeaders,
                body: AccountFlowTests.body([("csrf_token", admin.token)])
            ) { response in
                #expect(response.status == .seeOther)
                #expect(response.headers[.location] == "/quan-tri/webhook?xong=replayed")
            }
            try await client.execute(uri: "/quan-tri/webhook/999999", method: .get, headers: admin.headers) {
                #expect($0.status == .notFound)
            }

            // Another agency cannot remove it; its own agency can, and then a new dossier queues nothing.
            let other = try await SyncTests.token(url, agency: "000.00.62.H29", name: "khac")
            try await client.execute(
                uri: "/api/v1/sync/webhooks/\(id)", method: .delete, headers: [.authorization: "Bearer \(other)"]
            ) { #expect($0.status == .notFound) }
            try await client.execute(
                uri: "/api/v1/sync/webhooks/\(id)", method: .delete, headers: [.authorization: "Bearer \(token)"]
            ) { #expect($0.status == .noContent) }
            do {
                let before = try await Webhooks(database: database).deliveries().total
                let (ref, _, citizen) = try await Self.submitDossier(database, agency: SyncTests.agency, citizen: 5678)
                _ = try await DossierStore(database: database).apply(
                    .withdraw(reason: "x"), ref: ref, expectedVersion: nil,
                    actor: .init(accountID: citizen, role: "citizen"), processingTime: nil, calendar: .vietnam,
                    notifyEmail: nil)
                #expect(try await Webhooks(database: database).deliveries().total == before)
            } catch {
                await database.shutdown()
                throw error
            }
            await database.shutdown()
        }
    }
}
