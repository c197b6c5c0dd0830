import Foundation
import HTTPTypes
import Hummingbird
import Logging
import PortalCore
import PortalStore

/// `POST /api/v1/sync/dossiers`: agencies' one-stop systems report dossier status events in batches of up to
/// 1,000, with a bearer token that acts for one agency and an optional `Idempotency-Key`.
///
/// Each item is checked on its own and named by its index and field; one bad item never fails the batch.
struct SyncController: Sendable {
    let clients: AgencyClients
    let sync: DossierSync
    let inbox: SyncInbox
    let logger: Logger
    static let maximumItems = 1000
    static let maximumBodyBytes = 4 * 1024 * 1024

    func addRoutes(to router: Router<AppRequestContext>) {
        router.post("/api/v1/sync/dossiers") { request, context in try await self.dossiers(request, context) }
        router.get("/api/v1/sync/inbox") { request, context in try await self.pull(request, context) }
        router.post("/api/v1/sync/inbox/ack") { request, context in try await self.acknowledge(request, context) }
    }

    /// The agency client of the bearer token, or a 401.
    func client(_ request: Request) async throws -> AgencyClients.Client {
        try await AgencyClientAuth.client(request, clients: clients)
    }

    func dossiers(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let client = try await client(request)
        try JSONRequest.requireJSON(request)
        var request = request
        let body: ByteBuffer
        do {
            body = try await request.collectBody(upTo: Self.maximumBodyBytes)
        } catch {
            throw PortalError(.contentTooLarge, code: "too_large", messageKey: "error_413", field: "items")
        }
        let key = request.headers[HTTPField.Name("Idempotency-Key")!]
        if let key {
            guard !key.isEmpty, key.count <= 200, key.allSatisfy({ $0.isASCII && !$0.isNewline }) else {
                throw PortalError(
                    .badRequest, code: "invalid_idempotency_key", messageKey: "error_400", field: "Idempotency-Key")
            }
        }
        let bytes = Data(body.readableBytesView)
        // JSON is UTF-8: a body that is not is refused whole (the decoder would otherwise patch bad bytes over).
        guard String(validating: bytes, as: UTF8.self) != nil,
            let rawItems = try? JSONDecoder().decode(SyncWireBody.self, from: bytes).items
        else {
            throw PortalError(.badRequest, code: "invalid_body", messageKey: "sync_error_body", field: "items")
        }
        guard rawItems.count <= Self.maximumItems else {
            throw PortalError(
                .contentTooLarge, code: "too_many_items", messageKey: "sync_error_too_many", field: "items")
        }
        // Items the parser refuses are answered without touching the database; the rest are ingested, under the
        // key when there is one (claimed and answered in the batch's own transaction).
        var refused: [SyncResult] = []
        var valid: [(index: Int, item: SyncItem)] = []
        for (index, raw) in rawItems.enumerated() {
            switch SyncItemParser.parse(raw) {
            case .success(let item): valid.append((index, item))
            case .failure(let problem):
                refused.append(
                    SyncResult(
                        index: index, dossierCode: raw.dossierCode,
                        outcome: .rejected, field: problem.field, message: problem.message))
            }
        }
        let parserRefusals = refused
        let answer: @Sendable ([SyncResult]) throws -> String = { ingested in
            try Self.encode(SyncResponse(results: (parserRefusals + ingested).sorted { $0.index < $1.index }))
        }
        let text: String
        if let key {
            let claim = IdempotencyKeys.Claim(
                clientID: client.id, key: key, bodyHash: IdempotencyKeys.hash(body.readableBytesView))
            switch try await sync.ingest(valid, agencyCode: client.agencyCode, claim: claim, answer: answer) {
            case .ingested(let response): text = response
            case .replay(let response): return Self.json(response)
            case .otherBody:
                throw PortalError(
                    .conflict, code: "idempotency_key_reused", messageKey: "sync_error_key_reused",
                    field: "Idempotency-Key")
            }
        } else {
            text = try answer(try await sync.ingest(valid, agencyCode: client.agencyCode))
        }
        logger.info(
            "sync batch",
            metadata: [
                "client": "\(client.id)", "items": "\(rawItems.count)", "valid": "\(valid.count)",
                "rejected": "\(refused.count)",
            ])
        return Self.json(text)
    }

    // MARK: Pull

    /// `GET /api/v1/sync/inbox?after=&limit=`: dossiers submitted on the portal for the caller's agency, after the
    /// cursor (by default the one last acknowledged).
    func pull(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let client = try await client(request)
        let query = request.formQuery
        var after = try await inbox.acknowledged(clientID: client.id)
        if let text = query["after"], !text.isEmpty {
            guard let value = Int64(text), value >= 0 else {
                throw PortalError(.badRequest, code: "invalid_parameter", messageKey: "error_400", field: "after")
            }
            after = value
        }
        var limit = 100
        if let text = query["limit"], !text.isEmpty {
            guard let value = Int(text), (1...500).contains(value) else {
                throw PortalError(.badRequest, code: "invalid_parameter", messageKey: "error_400", field: "limit")
            }
            limit = value
        }
        let entries = try await inbox.entries(client: client, after: after, limit: limit)
        let items: [InboxJSON.Item] = entries.map { entry in
            let dossier = entry.dossier
            return InboxJSON.Item(
                cursor: entry.cursor, dossier_code: dossier.code ?? "", procedure_code: dossier.procedureCode,
                status: dossier.status?.rawValue ?? 1,
                submitted_at: dossier.submittedAt.map(VietnamTime.iso8601) ?? "",
                applicant: .init(
                    type: dossier.applicant.accountType == "business" ? 2 : 1,
                    id: dossier.applicant.personalID ?? dossier.applicant.taxCode ?? "",
                    name: dossier.applicant.fullName,
                    phone: dossier.applicant.phone, email: dossier.applicant.email),
                form: dossier.form,
                files: dossier.files.map {
                    .init(
                        id: $0.id, purpose: $0.purpose.rawValue, name: $0.name, size: $0.size, kind: $0.kind,
                        sha256: $0.sha256)
                })
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let body = InboxJSON(items: items, next_cursor: entries.last?.cursor ?? after)
        return Self.json(String(decoding: try encoder.encode(body), as: UTF8.self))
    }

    /// `POST /api/v1/sync/inbox/ack` with `{"cursor":N}`: the caller has taken everything up to N.
    func acknowledge(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let client = try await client(request)
        try JSONRequest.requireJSON(request)
        var request = request
        let body = try await request.collectBody(upTo: 4096)
        guard let object = try? JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any],
            let cursor = JSONRequest.integer(object["cursor"]), cursor >= 0
        else {
            throw PortalError(.badRequest, code: "invalid_body", messageKey: "error_400", field: "cursor")
        }
        let stored = try await inbox.acknowledge(clientID: client.id, cursor: Int64(cursor))
        return Self.json("{\"acknowledged\":\(stored)}")
    }

    static func encode(_ response: SyncResponse) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(response), as: UTF8.self)
    }

    static func json(_ text: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}

/// The sync answer: counts by outcome and one result per item, in order.
struct SyncResponse: Encodable, Sendable {
    struct Item: Encodable, Sendable {
        struct Problem: Encodable, Sendable {
            let field: String
            let message: String
        }
        let index: Int
        let dossier_code: String
        let outcome: String
        let error: Problem?

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(index, forKey: .index)
            try container.encode(dossier_code, forKey: .dossier_code)
            try container.encode(outcome, forKey: .outcome)
            if let error { try container.encode(error, forKey: .error) }
        }

        enum CodingKeys: String, CodingKey {
            case index, dossier_code, outcome, error
        }
    }
    let accepted: Int
    let duplicates: Int
    let stale: Int
    let rejected: Int
    let results: [Item]

    init(results: [SyncResult]) {
        accepted = results.filter { $0.outcome == .applied }.count
        duplicates = results.filter { $0.outcome == .duplicate }.count
        stale = results.filter { $0.outcome == .stale }.count
        rejected = results.filter { $0.outcome == .rejected }.count
        self.results = results.map { result in
            Item(
                index: result.index, dossier_code: result.dossierCode, outcome: result.outcome.rawValue,
                error: result.field.map { Item.Problem(field: $0, message: result.message ?? "") })
        }
    }
}

/// The pull answer: dossiers with a cursor each, and the cursor to continue from.
struct InboxJSON: Encodable, Sendable {
    struct Applicant: Encodable, Sendable {
        let type: Int
        let id: String
        let name: String
        let phone: String?
        let email: String?
    }
    struct File: Encodable, Sendable {
        let id: Int64
        let purpose: String
        let name: String
        let size: Int
        let kind: String
        let sha256: String
    }
    struct Item: Encodable, Sendable {
        let cursor: Int64
        let dossier_code: String
        let procedure_code: String
        let status: Int
        let submitted_at: String
        let applicant: Applicant
        let form: [String: String]
        let files: [File]
    }
    let items: [Item]
    let next_cursor: Int64
}
