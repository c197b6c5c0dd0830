import Foundation
import HTTPTypes
import Hummingbird
import Logging
import PortalCore
import PortalStore

/// Online payment of a dossier's fees through a gateway that signs its messages with HMAC-SHA512 over the sorted
/// parameters: the applicant starts an attempt and is sent to the gateway; the gateway's server-to-server callback
/// (`GET /api/v1/payments/ipn`) confirms it; the return page shows only what the verified callback recorded.
/// Officers download a daily reconciliation per agency. The sandbox gateway (`/sandbox-gateway`) plays the
/// gateway's part when enabled, so the whole flow runs on one machine.
struct PaymentController: Sendable {
    struct Gateway: Sendable {
        let secret: String
        let merchant: String
        let url: String
        let sandbox: Bool
        let publicBaseURL: String
    }
    let payments: Payments
    let dossiers: DossierStore
    let gateway: Gateway
    let renderer: PageRenderer
    let logger: Logger

    func addRoutes(to router: Router<AppRequestContext>) {
        router.post("/ho-so/{ref}/thanh-toan/{obligation}") { request, context in try await self.start(request, context)
        }
        router.get("/thanh-toan/ket-qua") { request, context in try await self.result(request, context) }
        router.get("/ho-so/{ref}/bien-lai/{order}") { request, context in try await self.receipt(request, context) }
        router.get("/can-bo/doi-soat.csv") { request, context in try await self.reconciliation(request, context) }
        if gateway.sandbox {
            router.get("/sandbox-gateway/pay") { request, context in try await self.sandboxPage(request, context) }
            router.post("/sandbox-gateway/pay") { request, context in try await self.sandboxAnswer(request, context) }
        }
    }

    /// `yyyyMMddHHmmss` in Vietnam time, as gateways write dates.
    static func gatewayDate(_ date: Date) -> String {
        let day = VietnamTime.localDate(of: date)
        let seconds = Int(VietnamTime.secondOfDay(of: date))
        return String(
            format: "%04d%02d%02d%02d%02d%02d", day.year, day.month, day.day, seconds / 3600, seconds / 60 % 60,
            seconds % 60)
    }

    // MARK: The payer

    /// Starts (or resumes) an attempt and sends the payer to the gateway with a signed request.
    func start(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (dossier, session) = try await dossiers.owned(context)
        guard let obligationID = context.parameters.get("obligation", as: Int64.self),
            try await payments.obligations(dossierID: dossier.id).contains(where: { $0.id == obligationID })
        else { throw PortalError.notFound }
        let payment: Payments.Payment
        do {
            payment = try await payments.start(obligationID: obligationID, applicantID: session.accountID)
        } catch PaymentError.notDue {
            throw PortalError(.conflict, code: "already_paid", messageKey: "payment_error_not_due")
        }
        let parameters = GatewaySignature.signed(
            [
                "vnp_Version": "2.1.0", "vnp_Command": "pay", "vnp_TmnCode": gateway.merchant,
                "vnp_Amount": String(payment.amount * 100), "vnp_CurrCode": "VND", "vnp_TxnRef": payment.orderID,
                "vnp_OrderInfo": "Thanh toan ho so \(dossier.code ?? "")", "vnp_OrderType": "other",
                "vnp_Locale": context.language == .english ? "en" : "vn",
                "vnp_ReturnUrl": gateway.publicBaseURL + "/thanh-toan/ket-qua",
                "vnp_IpAddr": context.remoteAddress ?? "127.0.0.1",
                "vnp_CreateDate": Self.gatewayDate(payment.createdAt),
                "vnp_ExpireDate": Self.gatewayDate(payment.expiresAt),
            ], secret: gateway.secret)
        logger.info("payment started", metadata: ["order": "\(payment.orderID)"])
        return Response.redirect(to: gateway.url + "?" + GatewaySignature.query(parameters), type: .normal)
    }

    /// The return address: shows what the verified callback recorded, never what the query string claims.
    func result(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        guard let session = context.session else { throw PortalError.notFound }
        let parameters = Self.parameters(request)
        let verified = GatewaySignature.isValid(parameters, secret: gateway.secret)
        var payment: Payments.Payment?
        var dossier: Dossier?
        if verified, let order = parameters["vnp_TxnRef"], let found = try await payments.payment(orderID: order),
            let owner = try await dossiers.dossier(paymentOrder: order), owner.applicantID == session.accountID
        {
            payment = try await payments.payments(obligationID: found.obligationID).first { $0.id == found.id }
            dossier = owner
        }
        let state = payment?.state
        let page = PaymentResultPage(
            verified: payment != nil, paid: state == .paid, waiting: state == .pending,
            failed: state == .declined || state == .expired || state == .refundDue,
            orderID: payment?.orderID ?? "", amount: payment.map { VietnameseText.formatDong($0.amount) } ?? "",
            dossierURL: dossier.map { "/ho-so/\($0.ref)" },
            receiptURL: state == .paid ? dossier.map { "/ho-so/\($0.ref)/bien-lai/\(payment!.orderID)" } : nil,
            retryURL: (state == .declined || state == .expired)
                ? dossier.map { "/ho-so/\($0.ref)/thanh-toan/\(payment!.obligationID)" } : nil,
            csrfToken: context.csrfToken)
        return noStore(
            try renderer.render(
                "payment-result", title: "payment_result_title", page: page, request: request, context: context,
                status: page.verified ? .ok : .badRequest))
    }

    func receipt(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (dossier, _) = try await dossiers.owned(context)
        guard let order = context.parameters.get("order"), let payment = try await payments.payment(orderID: order),
            payment.state == .paid,
            let obligation = try await payments.obligations(dossierID: dossier.id).first(where: {
                $0.id == payment.obligationID
            })
        else { throw PortalError.notFound }
        let page = PaymentReceiptPage(
            orderID: payment.orderID, amount: VietnameseText.formatDong(payment.amount),
            description: obligation.description, dossierCode: dossier.code ?? "", agencyName: dossier.agencyName,
            transactionNo: payment.transactionNo ?? "", bankCode: payment.bankCode ?? "",
            paidAt: DossierViews.dateTime(payment.confirmedAt) ?? "", dossierURL: "/ho-so/\(dossier.ref)")
        return noStore(
            try renderer.render(
                "payment-receipt", title: "payment_receipt_title", page: page, request: request, context: context))
    }

    // MARK: The gateway's callback

    static func parameters(_ request: Request) -> [String: String] {
        parameters(query: request.uri.query ?? "")
    }

    /// The `vnp_` parameters of a raw query, as the gateway signed them.
    static func parameters(query: String) -> [String: String] {
        GatewaySignature.parameters(query: query).filter { $0.key.hasPrefix("vnp_") }
    }

    struct IPNAnswer: Encodable, Sendable {
        let RspCode: String
        let Message: String
    }

    /// Verifies and applies a callback; the answer the gateway expects.
    func process(_ parameters: [String: String]) async throws -> IPNAnswer {
        guard GatewaySignature.isValid(parameters, secret: gateway.secret),
            parameters["vnp_TmnCode"] == gateway.merchant
        else { return IPNAnswer(RspCode: "97", Message: "Invalid signature") }
        guard let order = parameters["vnp_TxnRef"], !order.isEmpty else {
            return IPNAnswer(RspCode: "01", Message: "Order not found")
        }
        guard let hundredths = parameters["vnp_Amount"].flatMap({ Int64($0) }), hundredths > 0, hundredths % 100 == 0
        else { return IPNAnswer(RspCode: "04", Message: "Invalid amount") }
        let approved = parameters["vnp_ResponseCode"] == "00" && parameters["vnp_TransactionStatus"] == "00"
        let outcome = try await payments.confirm(
            orderID: order, amount: hundredths / 100, approved: approved,
            transactionNo: parameters["vnp_TransactionNo"].map { String($0.prefix(40)) },
            bankCode: parameters["vnp_BankCode"].map { String($0.prefix(20)) },
            responseCode: String((parameters["vnp_ResponseCode"] ?? "").prefix(4)))
        logger.info("payment callback", metadata: ["order": "\(order)", "outcome": "\(outcome)"])
        switch outcome {
        case .applied, .alreadyApplied, .declined: return IPNAnswer(RspCode: "00", Message: "Confirm Success")
        case .unknownOrder: return IPNAnswer(RspCode: "01", Message: "Order not found")
        case .wrongAmount: return IPNAnswer(RspCode: "04", Message: "Invalid amount")
        case .refundDue: return IPNAnswer(RspCode: "02", Message: "Order already confirmed")
        }
    }

    // MARK: Reconciliation

    /// `GET /can-bo/doi-soat.csv?ngay=YYYY-MM-DD`: the officer's agency's confirmed payments of one day.
    func reconciliation(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        guard let agency = context.session?.agencyCode else { throw PortalError.notFound }
        let text = request.formQuery["ngay"] ?? ""
        let day: LocalDate
        if text.isEmpty {
            day = VietnamTime.localDate(of: Date())
        } else if text.count == 10, let given = LocalDate(text) {
            day = given
        } else {
            throw PortalError(.badRequest, code: "invalid_date", messageKey: "stats_error_date", field: "ngay")
        }
        var csv = StatisticsController.csvLine([
            "order_id", "dossier_code", "amount", "state", "transaction_no", "bank_code", "confirmed_at",
        ])
        var total: Int64 = 0
        for row in try await payments.reconciliation(agencyCode: agency, day: day) {
            if row.state == .paid { total += row.amount }
            csv += StatisticsController.csvLine([
                row.orderID, row.dossierCode, String(row.amount), row.state.rawValue, row.transactionNo, row.bankCode,
                VietnamTime.iso8601(row.confirmedAt),
            ])
        }
        csv += StatisticsController.csvLine(["total_paid", "", String(total), "", "", "", ""])
        var headers = HTTPFields()
        headers[.contentType] = "text/csv; charset=utf-8"
        headers[.contentDisposition] = "attachment; filename=\"doi-soat-\(agency)-\(day.description).csv\""
        headers[.cacheControl] = "no-store"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: csv)))
    }

    // MARK: The sandbox gateway

    func sandboxPage(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let parameters = Self.parameters(request)
        let valid =
            GatewaySignature.isValid(parameters, secret: gateway.secret)
            && parameters["vnp_TmnCode"] == gateway.merchant && parameters["vnp_TxnRef"] != nil
        let amount = parameters["vnp_Amount"].flatMap { Int64($0) }.map { $0 / 100 } ?? 0
        let page = SandboxGatewayPage(
            valid: valid, orderID: parameters["vnp_TxnRef"] ?? "", amount: VietnameseText.formatDong(amount),
            orderInfo: parameters["vnp_OrderInfo"] ?? "",
            fields: [
                .init(name: "order", value: parameters["vnp_TxnRef"] ?? ""),
                .init(name: "amount", value: parameters["vnp_Amount"] ?? ""),
                .init(name: "info", value: parameters["vnp_OrderInfo"] ?? ""),
            ], csrfToken: context.csrfToken)
        return noStore(
            try renderer.render(
                "sandbox-gateway", title: "sandbox_title", page: page, request: request, context: context,
                status: valid ? .ok : .badRequest))
    }

    /// The payer's choice at the sandbox: approve or decline (the sandbox then calls back, server to server, as a
    /// gateway does), or let it expire (no callback). Either way the payer returns with signed parameters.
    func sandboxAnswer(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let form = context.form
        guard let order = form["order"], let amount = form["amount"], let action = form["action"],
            ["approve", "decline", "expire"].contains(action)
        else { throw PortalError(.badRequest, code: "invalid_form", messageKey: "error_400", field: "action") }
        let codes = ["approve": ("00", "00"), "decline": ("24", "02"), "expire": ("11", "02")][action]!
        var generator = SystemRandomNumberGenerator()
        let callback = GatewaySignature.signed(
            [
                "vnp_TmnCode": gateway.merchant, "vnp_TxnRef": order, "vnp_Amount": amount,
                "vnp_OrderInfo": form["info"] ?? "", "vnp_ResponseCode": codes.0, "vnp_TransactionStatus": codes.1,
                "vnp_TransactionNo": String(UInt32.random(in: 10_000_000...99_999_999, using: &generator)),
                "vnp_BankCode": "NCB", "vnp_PayDate": Self.gatewayDate(Date()),
            ], secret: gateway.secret)
        if action != "expire" {
            let answer = try await process(callback)
            logger.info("sandbox callback answered", metadata: ["code": "\(answer.RspCode)"])
        }
        return Response.redirect(to: "/thanh-toan/ket-qua?" + GatewaySignature.query(callback), type: .normal)
    }
}
