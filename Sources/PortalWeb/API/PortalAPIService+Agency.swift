import Foundation
import HTTPTypes
import Logging
import OpenAPIRuntime
import PortalAPI
import PortalCore
import PortalStore
import Synchronization

/// The agency operations: bulk status sync, the pull inbox and webhook subscriptions, with the bearer token of an
/// agency client (checked by `AgencyRequestMiddleware`, which also keeps each body as sent).
extension PortalAPIService {
    /// The most items one sync request may carry.
    static let maximumSyncItems = 1000
    static let idempotencyKey = HTTPField.Name("Idempotency-Key")!

    /// How the agency operations' bodies are checked and refused (see `AgencyRequestMiddleware`).
    static let agencyBodies: [String: AgencyRequestMiddleware.BodyRule] = [
        "syncDossiers": .init(maximumBytes: 4 * 1024 * 1024, tooLargeField: "items", readByOperation: true) { _ in
            PortalError(.badRequest, code: "invalid_body", messageKey: "sync_error_body", field: "items")
        },
        "acknowledgeInbox": .init(maximumBytes: 4096) { _ in
            PortalError(.badRequest, code: "invalid_body", messageKey: "error_400", field: "cursor")
        },
        "registerWebhook": .init(maximumBytes: 64 * 1024) { field in
            switch field {
            case "url":
                PortalError(.unprocessableContent, code: "invalid_url", messageKey: "webhook_error_url", field: "url")
            case "events":
                PortalError(
                    .unprocessableContent, code: "invalid_events", messageKey: "webhook_error_events", field: "events")
            default:
                PortalError(.badRequest, code: "invalid_body", messageKey: "webhook_error_body", field: "body")
            }
        },
    ]

    /// The request's agency client and body, set by `AgencyRequestMiddleware`.
    var agencyRequest: (client: AgencyClients.Client, body: [UInt8]) {
        get throws {
            guard let current = AgencyRequestMiddleware.current, let client = current.client else {
                throw PortalError.internalError
            }
            return (client, current.body)
        }
    }

    // MARK: Sync

    func syncDossiers(_ input: Operations.SyncDossiers.Input) async throws -> Operations.SyncDossiers.Output {
        let (client, body) = try agencyRequest
        // The items are read from the bytes as sent, by a reader that refuses what is not JSON (the generated layer
        // was handed a stand-in: see `BodyRule.readByOperation`).
        guard case .json = input.body, let wire = try? SyncWireBody(json: body) else {
            throw PortalError(.badRequest, code: "invalid_body", messageKey: "sync_error_body", field: "items")
        }
        // The key as sent: the generated code percent-decodes header values, which would make `a%20b` and `a b`
        // one key.
        let key = AgencyRequestMiddleware.current?.head.headerFields[Self.idempotencyKey]
        if let key {
            guard !key.isEmpty, key.count <= 200, key.allSatisfy({ $0.isASCII && !$0.isNewline }) else {
                throw PortalError(
                    .badRequest, code: "invalid_idempotency_key", messageKey: "error_400", field: "Idempotency-Key")
            }
        }
        guard wire.items.count <= Self.maximumSyncItems else {
            throw PortalError(
                .contentTooLarge, code: "too_many_items", messageKey: "sync_error_too_many", field: "items")
        }
        // Items the parser refuses are answered without touching the database; the rest are ingested, under the
        // key when there is one (claimed and answered in the batch's own transaction).
        var refused: [SyncResult] = []
        var valid: [(index: Int, item: SyncItem)] = []
        for (index, raw) in wire.items.enumerated() {
            switch SyncItemParser.parse(raw) {
            case .success(let item): valid.append((index, item))
            case .failure(let problem):
                refused.append(
                    SyncResult(
                        index: index, dossierCode: raw.dossierCodeSent,
                        outcome: .rejected, field: problem.field, message: problem.message))
            }
        }
        let parserRefusals = refused
        let inOrder: @Sendable ([SyncResult]) -> [SyncResult] = { ingested in
            (parserRefusals + ingested).sorted { $0.index < $1.index }
        }
        let response: Components.Schemas.SyncResponse
        if let key {
            // The answer is kept as text under its key, so that a replay is the same answer (read back from the text).
            let built = Mutex<Components.Schemas.SyncResponse?>(nil)
            let claim = IdempotencyKeys.Claim(clientID: client.id, key: key, bodyHash: IdempotencyKeys.hash(body))
            let stored = try await sync.ingest(valid, agencyCode: client.agencyCode, claim: claim) { ingested in
                let response = Self.syncAnswer(inOrder(ingested))
                built.withLock { $0 = response }
                return Self.syncAnswerText(response)
            }
            switch stored {
            case .ingested(let text), .replay(let text):
                if case .ingested = stored, let fresh = built.withLock({ $0 }) {
                    response = fresh
                } else {
                    response = try JSONDecoder().decode(Components.Schemas.SyncResponse.self, from: Data(text.utf8))
                }
            case .otherBody:
                throw PortalError(
                    .conflict, code: "idempotency_key_reused", messageKey: "sync_error_key_reused",
                    field: "Idempotency-Key")
            }
        } else {
            response = Self.syncAnswer(inOrder(try await sync.ingest(valid, agencyCode: client.agencyCode)))
        }
        logger.info(
            "sync batch",
            metadata: [
                "client": "\(client.id)", "items": "\(wire.items.count)", "valid": "\(valid.count)",
                "rejected": "\(refused.count)",
            ])
        return .ok(.init(body: .json(response)))
    }

    /// The sync answer: counts by outcome and one result per item, in order.
    static func syncAnswer(_ results: [SyncResult]) -> Components.Schemas.SyncResponse {
        .init(
            accepted: results.count { $0.outcome == .applied },
            duplicates: results.count { $0.outcome == .duplicate },
            stale: results.count { $0.outcome == .stale },
            rejected: results.count { $0.outcome == .rejected },
            results: results.map { result in
                .init(
                    index: result.index, dossierCode: result.dossierCode,
                    outcome: .init(rawValue: result.outcome.rawValue) ?? .rejected,
                    error: result.field.map { .init(field: $0, message: result.message ?? "") })
            })
    }

    /// The answer as stored under an idempotency key, which a replay reads back. Written by hand: `JSONEncoder` took
    /// a millisecond a batch of 500, and when a batch is decided again inside its transaction (see
    /// `DossierSync.ingest`) the answer is made there, while SQLite's write lock is held.
    static func syncAnswerText(_ response: Components.Schemas.SyncResponse) -> String {
        var text: [UInt8] = []
        text.reserveCapacity(80 * response.results.count + 100)
        func append(_ literal: StaticString) {
            literal.withUTF8Buffer { text.append(contentsOf: $0) }
        }
        func append(_ number: Int) {
            text.append(contentsOf: String(number).utf8)
        }
        func append(string: String) {
            var quoted = ""
            JSONText.appendString(string, to: &quoted)
            text.append(contentsOf: quoted.utf8)
        }
        append("{\"accepted\":")
        append(response.accepted)
        append(",\"duplicates\":")
        append(response.duplicates)
        append(",\"rejected\":")
        append(response.rejected)
        append(",\"results\":[")
        for (position, result) in response.results.enumerated() {
            append(position == 0 ? "{\"dossier_code\":" : ",{\"dossier_code\":")
            append(string: result.dossierCode)
            if let error = result.error {
                append(",\"error\":{\"field\":")
                append(string: error.field)
                append(",\"message\":")
                append(string: error.message)
                append("}")
            }
            append(",\"index\":")
            append(result.index)
            append(",\"outcome\":\"")
            text.append(contentsOf: result.outcome.rawValue.utf8)
            append("\"}")
        }
        append("],\"stale\":")
        append(response.stale)
        append("}")
        return String(decoding: text, as: UTF8.self)
    }

    // MARK: Pull

    func pullInbox(_ input: Operations.PullInbox.Input) async throws -> Operations.PullInbox.Output {
        let (client, _) = try agencyRequest
        var after = try await inbox.acknowledged(clientID: client.id)
        if let given = input.query.after { after = given }
        let entries = try await inbox.entries(client: client, after: after, limit: input.query.limit ?? 100)
        let items: [Operations.PullInbox.Output.Ok.Body.JsonPayload.ItemsPayloadPayload] = try entries.map { entry in
            let dossier = entry.dossier
            var applicant: [String: (any Sendable)?] = [
                "type": dossier.applicant.accountType == "business" ? 2 : 1,
                "id": dossier.applicant.personalID ?? dossier.applicant.taxCode ?? "",
                "name": dossier.applicant.fullName,
            ]
            applicant["phone"] = dossier.applicant.phone
            applicant["email"] = dossier.applicant.email
            return .init(
                cursor: Int(entry.cursor), dossierCode: dossier.code ?? "", procedureCode: dossier.procedureCode,
                status: dossier.status?.rawValue ?? 1,
                submittedAt: dossier.submittedAt ?? Date(timeIntervalSince1970: 0),
                applicant: try OpenAPIObjectContainer(unvalidatedValue: applicant),
                form: .init(additionalProperties: dossier.form),
                files: try dossier.files.map {
                    try OpenAPIObjectContainer(unvalidatedValue: [
                        "id": Int($0.id), "purpose": $0.purpose.rawValue, "name": $0.name, "size": $0.size,
                        "kind": $0.kind, "sha256": $0.sha256,
                    ])
                })
        }
        return .ok(.init(body: .json(.init(nextCursor: Int(entries.last?.cursor ?? after), items: items))))
    }

    func acknowledgeInbox(_ input: Operations.AcknowledgeInbox.Input) async throws
        -> Operations.AcknowledgeInbox.Output
    {
        let (client, _) = try agencyRequest
        guard case .json(let body) = input.body, body.cursor >= 0 else {
            throw PortalError(.badRequest, code: "invalid_body", messageKey: "error_400", field: "cursor")
        }
        let stored = try await inbox.acknowledge(clientID: client.id, cursor: body.cursor)
        return .ok(.init(body: .json(.init(acknowledged: Int(stored)))))
    }

    // MARK: Webhooks

    func registerWebhook(_ input: Operations.RegisterWebhook.Input) async throws -> Operations.RegisterWebhook.Output {
        let (client, _) = try agencyRequest
        guard case .json(let body) = input.body else { throw PortalError.internalError }
        guard WebhookReceivers.validURL(body.url) else {
            throw PortalError(.unprocessableContent, code: "invalid_url", messageKey: "webhook_error_url", field: "url")
        }
        let events = body.events.compactMap { WebhookEvent(rawValue: $0.rawValue) }
        guard !events.isEmpty, body.events.count <= WebhookEvent.allCases.count, events.count == body.events.count
        else {
            throw PortalError(
                .unprocessableContent, code: "invalid_events", messageKey: "webhook_error_events", field: "events")
        }
        do {
            let (subscription, secret) = try await webhooks.register(
                agencyCode: client.agencyCode, clientID: client.id, url: body.url,
                events: Array(Set(events)).sorted { $0.rawValue < $1.rawValue })
            return .created(.init(body: .json(Self.subscription(subscription, secret: secret))))
        } catch WebhookError.tooMany {
            throw PortalError(.conflict, code: "too_many_webhooks", messageKey: "webhook_error_too_many", field: "url")
        }
    }

    func listWebhooks(_ input: Operations.ListWebhooks.Input) async throws -> Operations.ListWebhooks.Output {
        let (client, _) = try agencyRequest
        let subscriptions = try await webhooks.subscriptions(agencyCode: client.agencyCode)
        return .ok(.init(body: .json(.init(webhooks: subscriptions.map { Self.subscription($0) }))))
    }

    func removeWebhook(_ input: Operations.RemoveWebhook.Input) async throws -> Operations.RemoveWebhook.Output {
        let (client, _) = try agencyRequest
        guard try await webhooks.remove(id: Int64(input.path.id), agencyCode: client.agencyCode) else {
            throw PortalError(.notFound, code: "not_found", messageKey: "error_not_found", field: "id")
        }
        return .noContent(.init())
    }

    static func subscription(_ subscription: Webhooks.Subscription, secret: String? = nil)
        -> Components.Schemas.WebhookSubscription
    {
        .init(
            id: Int(subscription.id), url: subscription.url, events: subscription.events.map(\.rawValue),
            createdAt: subscription.createdAt, secret: secret)
    }
}

// MARK: - The legacy connector and the payment callback

extension PortalAPIService {
    /// The legacy connector reads any body its senders write; one it cannot read is answered with a non-zero
    /// `error_code`, always with HTTP 200.
    static let legacyBodies: [String: AgencyRequestMiddleware.BodyRule] = {
        let rule = AgencyRequestMiddleware.BodyRule(
            maximumBytes: LegacySyncController.maximumBodyBytes, anyContentType: true,
            answer: {
                var response = HTTPResponse(status: .ok)
                response.headerFields[.contentType] = "application/json; charset=utf-8"
                return (response, HTTPBody(try legacyJSON(LegacySyncController.unreadable)))
            },
            unreadable: { _ in PortalError(.badRequest, code: "invalid_body", messageKey: "error_400", field: nil) })
        return ["legacyLogin": rule, "legacyCall": rule]
    }()

    /// The body as sent, read as JSON (nil when it is not).
    var legacyBody: Any? {
        guard let bytes = AgencyRequestMiddleware.current?.body else { return nil }
        return try? JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])
    }

    func legacyLogin(_ input: Operations.LegacyLogin.Input) async throws -> Operations.LegacyLogin.Output {
        .ok(.init(body: .json(try Self.legacyAnswer(try await legacy.login(body: legacyBody)))))
    }

    func legacyCall(_ input: Operations.LegacyCall.Input) async throws -> Operations.LegacyCall.Output {
        let authorization = AgencyRequestMiddleware.current?.head.headerFields[.authorization]
        let answer = try await legacy.call(body: legacyBody, authorization: authorization)
        return .ok(.init(body: .json(try Self.legacyAnswer(answer))))
    }

    /// The connector's answer as JSON text, keys sorted.
    static func legacyJSON(_ answer: LegacySyncController.Answer) throws -> [UInt8] {
        [UInt8](try JSONSerialization.data(withJSONObject: answer, options: [.sortedKeys, .withoutEscapingSlashes]))
    }

    /// The connector's answer as the document's `LegacyAnswer`.
    static func legacyAnswer(_ answer: LegacySyncController.Answer) throws -> Components.Schemas.LegacyAnswer {
        try JSONDecoder().decode(Components.Schemas.LegacyAnswer.self, from: Data(legacyJSON(answer)))
    }

    func paymentCallback(_ input: Operations.PaymentCallback.Input) async throws -> Operations.PaymentCallback.Output {
        // The signature covers every `vnp_` parameter as the gateway sent it, declared in the document or not.
        let query = AgencyRequestMiddleware.current?.head.path.flatMap { path in
            path.firstIndex(of: "?").map { String(path[path.index(after: $0)...]) }
        }
        let answer = try await payments.process(PaymentController.parameters(query: query ?? ""))
        return .ok(
            .init(body: .json(.init(rspCode: .init(rawValue: answer.RspCode) ?? ._99, message: answer.Message))))
    }
}
