import Foundation
import PortalCore
import SQLKit

/// Fees and taxes paid online for dossiers.
///
/// An officer's payment request (status 6) creates an obligation. The applicant starts a payment, one attempt at
/// the gateway with its own order id and expiry; the gateway's verified callback confirms it. Confirmation is one
/// conditional update of the obligation, so of two attempts approved at once only one is applied: the other is
/// kept as a charge to refund. Once paid, the dossier moves on to processing.
public struct Payments: Sendable {
    let database: Database
    let jobs: JobQueue
    /// How long an attempt may wait at the gateway.
    public static let lifetime: TimeInterval = 15 * 60

    /// Payments on the portal database.
    public init(database: Database) {
        self.database = database
        jobs = JobQueue(database: database)
    }

    public enum ObligationState: String, Sendable, Hashable {
        case due, paid, cancelled
    }

    public enum PaymentState: String, Sendable, Hashable, CaseIterable {
        case pending, paid, declined, expired
        /// Approved by the gateway after another attempt had paid the obligation: to be refunded.
        case refundDue = "refund_due"
    }

    public struct Obligation: Sendable, Hashable {
        public let id: Int64
        public let dossierID: Int64
        public let agencyCode: String
        public let amount: Int64
        public let description: String
        public let state: ObligationState
        public let paymentID: Int64?
        public let createdAt: Date
        public let paidAt: Date?
    }

    public struct Payment: Sendable, Hashable {
        public let id: Int64
        public let orderID: String
        public let obligationID: Int64
        public let agencyCode: String
        public let amount: Int64
        public internal(set) var state: PaymentState
        public let createdAt: Date
        public let expiresAt: Date
        public let transactionNo: String?
        public let bankCode: String?
        public let confirmedAt: Date?
    }

    // MARK: Obligations

    /// Records what the applicant owes, in the transaction of the officer's payment request.
    static func createObligation(
        dossierID: Int64, agencyCode: String, amount: Int64, description: String, at: Date, on db: any SQLDatabase
    ) async throws {
        try await db.insert(into: "payment_obligations")
            .columns("dossier_id", "agency_code", "amount", "description", "state", "created_at")
            .values(
                SQLBind(dossierID), SQLBind(agencyCode), SQLBind(amount), SQLBind(description),
                SQLBind(ObligationState.due.rawValue), SQLBind(at.epochMilliseconds)
            )
            .run()
    }

    static let obligationColumns =
        "id, dossier_id, agency_code, amount, description, state, payment_id, created_at, paid_at"

    static func obligation(_ row: any SQLRow) throws -> Obligation {
        Obligation(
            id: try row.decode(column: "id", as: Int64.self),
            dossierID: try row.decode(column: "dossier_id", as: Int64.self),
            agencyCode: try row.decode(column: "agency_code", as: String.self),
            amount: try row.decode(column: "amount", as: Int64.self),
            description: try row.decode(column: "description", as: String.self),
            state: ObligationState(rawValue: try row.decode(column: "state", as: String.self)) ?? .cancelled,
            paymentID: try row.decode(column: "payment_id", as: Int64?.self),
            createdAt: Date(epochMilliseconds: try row.decode(column: "created_at", as: Int64.self)),
            paidAt: try row.decode(column: "paid_at", as: Int64?.self).map(Date.init(epochMilliseconds:)))
    }

    /// A dossier's obligations, oldest first.
    public func obligations(dossierID: Int64) async throws -> [Obligation] {
        try await database.sql.raw(
            """
            SELECT \(unsafeRaw: Self.obligationColumns) FROM payment_obligations
            WHERE dossier_id = \(bind: dossierID) ORDER BY id
            """
        ).all().map(Self.obligation)
    }

    // MARK: Attempts

    static let paymentColumns = """
        id, order_id, obligation_id, agency_code, amount, state, created_at, expires_at, transaction_no, bank_code,
        confirmed_at
        """

    static func payment(_ row: any SQLRow) throws -> Payment {
        Payment(
            id: try row.decode(column: "id", as: Int64.self),
            orderID: try row.decode(column: "order_id", as: String.self),
            obligationID: try row.decode(column: "obligation_id", as: Int64.self),
            agencyCode: try row.decode(column: "agency_code", as: String.self),
            amount: try row.decode(column: "amount", as: Int64.self),
            state: PaymentState(rawValue: try row.decode(column: "state", as: String.self)) ?? .declined,
            createdAt: Date(epochMilliseconds: try row.decode(column: "created_at", as: Int64.self)),
            expiresAt: Date(epochMilliseconds: try row.decode(column: "expires_at", as: Int64.self)),
            transactionNo: try row.decode(column: "transaction_no", as: String?.self),
            bankCode: try row.decode(column: "bank_code", as: String?.self),
            confirmedAt: try row.decode(column: "confirmed_at", as: Int64?.self).map(Date.init(epochMilliseconds:)))
    }

    /// The attempts at an obligation, newest first; attempts past their expiry read as expired (the row itself is
    /// marked when the next attempt starts, so that reading a page never writes).
    public func payments(obligationID: Int64, now: Date = Date()) async throws -> [Payment] {
        try await database.sql.raw(
            """
            SELECT \(unsafeRaw: Self.paymentColumns) FROM payments WHERE obligation_id = \(bind: obligationID)
            ORDER BY id DESC
            """
        ).all().map { row in
            var payment = try Self.payment(row)
            if payment.state == .pending, payment.expiresAt < now { payment.state = .expired }
            return payment
        }
    }

    /// One attempt by its order id.
    public func payment(orderID: String) async throws -> Payment? {
        try await database.sql.raw(
            "SELECT \(unsafeRaw: Self.paymentColumns) FROM payments WHERE order_id = \(bind: orderID)"
        ).first().map(Self.payment)
    }

    static func expire(obligationID: Int64, now: Date, on db: any SQLDatabase) async throws {
        try await db.update("payments").set("state", to: PaymentState.expired.rawValue)
            .where("obligation_id", .equal, obligationID).where("state", .equal, PaymentState.pending.rawValue)
            .where("expires_at", .lessThan, now.epochMilliseconds).run()
    }

    /// Starts an attempt at paying a due obligation of the applicant's dossier, or returns the attempt still
    /// waiting at the gateway, so that one obligation never has two live attempts.
    public func start(obligationID: Int64, applicantID: Int64, now: Date = Date()) async throws -> Payment {
        try await database.transaction { db in
            guard
                let row = try await db.raw(
                    """
                    SELECT o.id, o.state, o.amount, o.agency_code, d.applicant_id, d.status
                    FROM payment_obligations o JOIN dossiers d ON d.id = o.dossier_id WHERE o.id = \(bind: obligationID)
                    """
                ).first(), try row.decode(column: "applicant_id", as: Int64?.self) == applicantID
            else { throw PaymentError.notFound }
            guard try row.decode(column: "state", as: String.self) == ObligationState.due.rawValue else {
                throw PaymentError.notDue
            }
            // Claim the obligation first: concurrent starts wait here and then see the attempt made.
            try await db.update("payment_obligations").set("state", to: ObligationState.due.rawValue)
                .where("id", .equal, obligationID).run()
            try await Self.expire(obligationID: obligationID, now: now, on: db)
            if let live = try await db.raw(
                """
                SELECT \(unsafeRaw: Self.paymentColumns) FROM payments WHERE obligation_id = \(bind: obligationID)
                AND state = 'pending' ORDER BY id DESC LIMIT 1
                """
            ).first() {
                return try Self.payment(live)
            }
            let orderID = Self.newOrderID(now: now)
            guard
                let inserted = try await db.insert(into: "payments")
                    .columns("order_id", "obligation_id", "agency_code", "amount", "state", "created_at", "expires_at")
                    .values(
                        SQLBind(orderID), SQLBind(obligationID),
                        SQLBind(try row.decode(column: "agency_code", as: String.self)),
                        SQLBind(try row.decode(column: "amount", as: Int64.self)),
                        SQLBind(PaymentState.pending.rawValue), SQLBind(now.epochMilliseconds),
                        SQLBind(now.addingTimeInterval(Self.lifetime).epochMilliseconds)
                    )
                    .returning(SQLRaw(Self.paymentColumns)).first()
            else { throw PaymentError.notFound }
            return try Self.payment(inserted)
        }
    }

    /// An order id the gateway echoes back: the local date and time, then random digits (unguessable).
    static func newOrderID(now: Date) -> String {
        let date = VietnamTime.localDate(of: now)
        let seconds = Int(VietnamTime.secondOfDay(of: now))
        var generator = SystemRandomNumberGenerator()
        let random = (0..<10).map { _ in String(Int.random(in: 0...9, using: &generator)) }.joined()
        return String(
            format: "%04d%02d%02d%02d%02d%02d", date.year, date.month, date.day, seconds / 3600, seconds / 60 % 60,
            seconds % 60) + random
    }

    // MARK: Confirmation

    /// What a gateway callback did.
    public enum Outcome: Sendable, Equatable {
        /// The payment was confirmed now and the obligation paid.
        case applied
        /// This payment had already been confirmed: nothing changed.
        case alreadyApplied
        /// The gateway reported a failure, now recorded (or recorded before).
        case declined
        /// No attempt has this order id.
        case unknownOrder
        /// The amount differs from the attempt's.
        case wrongAmount
        /// Another attempt had already paid the obligation; this charge is kept for a refund.
        case refundDue
    }

    /// Applies a verified callback: `approved` when the gateway says the money was taken.
    public func confirm(
        orderID: String, amount: Int64, approved: Bool, transactionNo: String?, bankCode: String?,
        responseCode: String, now: Date = Date()
    ) async throws -> Outcome {
        try await database.transaction { db in
            guard
                let row = try await db.raw(
                    "SELECT \(unsafeRaw: Self.paymentColumns) FROM payments WHERE order_id = \(bind: orderID)"
                ).first()
            else { return .unknownOrder }
            let payment = try Self.payment(row)
            guard payment.amount == amount else { return .wrongAmount }
            switch payment.state {
            case .paid: return .alreadyApplied
            case .refundDue: return .refundDue
            case .declined where !approved: return .declined
            default: break
            }
            func record(_ state: PaymentState) async throws {
                try await db.update("payments").set("state", to: state.rawValue)
                    .set("transaction_no", to: transactionNo).set("bank_code", to: bankCode)
                    .set("response_code", to: responseCode).set("confirmed_at", to: now.epochMilliseconds)
                    .where("id", .equal, payment.id).run()
            }
            guard approved else {
                try await record(.declined)
                return .declined
            }
            // One conditional update decides which attempt pays the obligation.
            let claimed = try await db.update("payment_obligations")
                .set("state", to: ObligationState.paid.rawValue).set("payment_id", to: payment.id)
                .set("paid_at", to: now.epochMilliseconds)
                .where("id", .equal, payment.obligationID).where("state", .equal, ObligationState.due.rawValue)
                .returning("dossier_id").first()
            guard let claimed else {
                try await record(.refundDue)
                return .refundDue
            }
            try await record(.paid)
            try await Self.moveDossierOn(
                dossierID: try claimed.decode(column: "dossier_id", as: Int64.self), payment: payment, jobs: jobs,
                at: now, on: db)
            return .applied
        }
    }

    /// After a verified payment, a dossier waiting for it goes back to processing (a system event), and the
    /// applicant and the agency's webhook receivers are told.
    static func moveDossierOn(
        dossierID: Int64, payment: Payment, jobs: JobQueue, at now: Date, on db: any SQLDatabase
    ) async throws {
        guard let dossier = try await DossierStore.load(where: ("d.id = \(bind: dossierID)" as SQLQueryString), on: db)
        else { return }
        let note = "Đã thanh toán \(VietnameseText.formatDong(payment.amount)) (mã giao dịch \(payment.orderID))."
        let event = DossierEvent(status: .processing, at: now, actor: .system, note: note, source: .portal)
        if dossier.status == .paymentRequested,
            (try? DossierStateMachine.validate(event, after: dossier.history)) != nil
        {
            try await db.update("dossiers").set("status", to: DossierStatus.processing.rawValue)
                .set("updated_at", to: now.epochMilliseconds)
                .set(SQLIdentifier("version"), to: SQLRaw("version + 1"))
                .where("id", .equal, dossierID).run()
            try await DossierStore.insert(event, dossierID: dossierID, accountID: nil, on: db)
            try await DossierStore.announce(
                dossier: dossier, code: dossier.code ?? "", status: .processing, note: note,
                email: dossier.applicant.email, jobs: jobs, at: now, on: db)
        }
        if let code = dossier.code {
            try await Webhooks.enqueue(
                .paymentCompleted, dossierCode: code, procedureCode: dossier.procedureCode,
                agencyCode: dossier.agencyCode, status: .processing, at: now, jobs: jobs, on: db)
        }
    }

    // MARK: Reconciliation

    public struct ReconciliationRow: Sendable, Hashable {
        public let orderID: String
        public let dossierCode: String
        public let amount: Int64
        public let state: PaymentState
        public let transactionNo: String
        public let bankCode: String
        public let confirmedAt: Date
    }

    /// An agency's confirmed payments (paid, and charges to refund) on one local day, in order.
    public func reconciliation(agencyCode: String, day: LocalDate) async throws -> [ReconciliationRow] {
        let start = VietnamTime.instant(on: day, hour: 0, minute: 0).epochMilliseconds
        let end = VietnamTime.instant(on: day.adding(days: 1), hour: 0, minute: 0).epochMilliseconds
        return try await database.sql.raw(
            """
            SELECT p.order_id, d.code, p.amount, p.state, p.transaction_no, p.bank_code, p.confirmed_at
            FROM payments p JOIN payment_obligations o ON o.id = p.obligation_id JOIN dossiers d ON d.id = o.dossier_id
            WHERE p.agency_code = \(bind: agencyCode) AND p.state IN ('paid', 'refund_due')
            AND p.confirmed_at >= \(bind: start) AND p.confirmed_at < \(bind: end)
            ORDER BY p.confirmed_at, p.id
            """
        ).all().map { row in
            ReconciliationRow(
                orderID: try row.decode(column: "order_id", as: String.self),
                dossierCode: try row.decode(column: "code", as: String?.self) ?? "",
                amount: try row.decode(column: "amount", as: Int64.self),
                state: PaymentState(rawValue: try row.decode(column: "state", as: String.self)) ?? .paid,
                transactionNo: try row.decode(column: "transaction_no", as: String?.self) ?? "",
                bankCode: try row.decode(column: "bank_code", as: String?.self) ?? "",
                confirmedAt: Date(epochMilliseconds: try row.decode(column: "confirmed_at", as: Int64.self)))
        }
    }
}

/// Why a payment could not be started.
public enum PaymentError: Error, Sendable, Equatable {
    case notFound
    case notDue
}
