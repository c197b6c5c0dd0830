import Foundation
import PortalCore
import PortalStore

/// What the dossier page, the result page and the receipt show of payments.
enum PaymentViews {
    struct Attempt: Sendable {
        let orderID: String
        let createdAt: String
        let state: String
        let tone: String
        let receiptURL: String?
    }

    struct Obligation: Sendable {
        let id: Int64
        let amount: String
        let description: String
        let paid: Bool
        let canPay: Bool
        let payURL: String
        let receiptURL: String?
        let attempts: [Attempt]
        let hasAttempts: Bool
    }

    static func tone(_ state: Payments.PaymentState) -> String {
        switch state {
        case .paid: "tag-full"
        case .pending: "tag-action"
        case .declined, .expired, .refundDue: "tag-ended"
        }
    }

    static func obligations(
        of dossier: Dossier, payments: Payments, localizer: Localizer, language: Language
    ) async throws -> [Obligation] {
        var result: [Obligation] = []
        for obligation in try await payments.obligations(dossierID: dossier.id) {
            let attempts = try await payments.payments(obligationID: obligation.id)
            let paid = attempts.first { $0.state == .paid }
            result.append(
                Obligation(
                    id: obligation.id, amount: VietnameseText.formatDong(obligation.amount),
                    description: obligation.description, paid: obligation.state == .paid,
                    canPay: obligation.state == .due,
                    payURL: "/ho-so/\(dossier.ref)/thanh-toan/\(obligation.id)",
                    receiptURL: paid.map { "/ho-so/\(dossier.ref)/bien-lai/\($0.orderID)" },
                    attempts: attempts.map { attempt in
                        Attempt(
                            orderID: attempt.orderID, createdAt: DossierViews.dateTime(attempt.createdAt) ?? "",
                            state: localizer.text("payment_state_\(attempt.state.rawValue)", language),
                            tone: tone(attempt.state),
                            receiptURL: attempt.state == .paid
                                ? "/ho-so/\(dossier.ref)/bien-lai/\(attempt.orderID)" : nil)
                    }, hasAttempts: !attempts.isEmpty))
        }
        return result
    }
}

/// The page a payer comes back to from the gateway: what the portal knows from the verified callback.
struct PaymentResultPage: Sendable {
    let verified: Bool
    let paid: Bool
    let waiting: Bool
    let failed: Bool
    let orderID: String
    let amount: String
    let dossierURL: String?
    let receiptURL: String?
    let retryURL: String?
    let csrfToken: String
}

/// A receipt for a confirmed payment.
struct PaymentReceiptPage: Sendable {
    let orderID: String
    let amount: String
    let description: String
    let dossierCode: String
    let agencyName: String
    let transactionNo: String
    let bankCode: String
    let paidAt: String
    let dossierURL: String
}

/// The sandbox gateway's payment page.
struct SandboxGatewayPage: Sendable {
    let valid: Bool
    let orderID: String
    let amount: String
    let orderInfo: String
    let fields: [Field]
    let csrfToken: String

    struct Field: Sendable {
        let name: String
        let value: String
    }
}
