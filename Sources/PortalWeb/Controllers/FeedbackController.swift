import Foundation
import HTTPTypes
import Hummingbird
import PortalCore
import PortalStore

/// Feedback and petitions (phản ánh kiến nghị): the public list of published answers with search at
/// `/phan-anh-kien-nghi`, the sending form (signed in or with contact details; a rate limit per address and a field
/// only robots fill keep abuse out without a CAPTCHA), the sender's page, the open data at `/api/v1/feedback` (which
/// the form's script also uses to suggest similar published questions while the title is typed), and the desks:
/// an agency's officers at `/can-bo/phan-anh`, the portal's administrators at `/quan-tri/phan-anh`.
struct FeedbackController: Sendable {
    let feedback: FeedbackStore
    let catalogue: CatalogueStore
    let dossiers: DossierStore
    let renderer: PageRenderer
    let limiter: RateLimiter

    static let perPage = 20

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/phan-anh-kien-nghi") { request, context in try await self.list(request, context) }
        router.get("/phan-anh-kien-nghi/gui") { request, context in try await self.form(request, context) }
        router.post("/phan-anh-kien-nghi/gui") { request, context in try await self.submit(request, context) }
        router.get("/phan-anh-kien-nghi/theo-doi/{ref}") { request, context in try await self.status(request, context) }
        router.get("/phan-anh-kien-nghi/{id}") { request, context in try await self.published(request, context) }
        for prefix in ["/can-bo/phan-anh", "/quan-tri/phan-anh"] {
            router.get(RouterPath(prefix)) { request, context in try await self.queue(request, context) }
            router.get(RouterPath(prefix + "/{id}")) { request, context in try await self.item(request, context) }
            router.post(RouterPath(prefix + "/{id}/tra-loi")) { request, context in
                try await self.answer(request, context)
            }
            router.post(RouterPath(prefix + "/{id}/cong-khai")) { request, context in
                try await self.publish(request, context)
            }
            router.post(RouterPath(prefix + "/{id}/an")) { request, context in
                try await self.unpublish(request, context)
            }
        }
    }

    func text(_ key: String, _ context: AppRequestContext) -> String { renderer.localizer.text(key, context.language) }

    // MARK: Published answers

    struct PublishedView: Sendable {
        let id: Int64
        let url: String
        let title: String
        let question: String
        let answer: String
        let excerpt: String
        let agency: String?
        let procedure: String?
        let procedureURL: String?
        let publishedAt: String
    }

    static func view(_ item: FeedbackStore.Published) -> PublishedView {
        let excerpt = item.answer.count > 240 ? String(item.answer.prefix(240)) + "…" : item.answer
        return PublishedView(
            id: item.id, url: "/phan-anh-kien-nghi/\(item.id)", title: item.title, question: item.question,
            answer: item.answer, excerpt: excerpt, agency: item.agencyName,
            procedure: item.procedureCode.map { "\(item.procedureName ?? $0) (\($0))" },
            procedureURL: item.procedureCode.map { "/thu-tuc/\($0)" },
            publishedAt: DossierViews.dateTime(item.publishedAt) ?? "")
    }

    struct ListPage: Sendable {
        let query: String
        let items: [PublishedView]
        let total: Int
        let hasItems: Bool
        let pager: Pager
    }

    func list(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let query = request.formQuery
        let search = String((query["q"] ?? "").prefix(200))
        let pageNumber = max(1, min(Int(query["trang"] ?? "1") ?? 1, 10_000))
        let (items, total) = try await feedback.published(
            query: search, limit: Self.perPage, offset: (pageNumber - 1) * Self.perPage)
        let page = ListPage(
            query: search, items: items.map(Self.view), total: total, hasItems: !items.isEmpty,
            pager: Pager(
                page: pageNumber, perPage: Self.perPage, total: total, path: "/phan-anh-kien-nghi",
                query: ["q": search]))
        return try renderer.render(
            "feedback-list", title: "feedback_title", page: page, request: request, context: context)
    }

    func published(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        guard let id = context.parameters.get("id", as: Int64.self), let item = try await feedback.published(id: id)
        else { throw PortalError.notFound }
        return try renderer.render(
            "feedback-published", title: "feedback_title", page: Self.view(item), request: request, context: context)
    }

    // MARK: Sending

    struct FormPage: Sendable {
        struct Values: Sendable {
            let senderName: String
            let senderPhone: String
            let senderEmail: String
            let procedureCode: String
            let agencyCode: String
            let dossierCode: String
            let title: String
            let body: String
        }
        let values: Values
        let topics: [FilterOption]
        let signedIn: Bool
        let errors: [FieldErrorItem]
        let hasErrors: Bool
        let csrfToken: String
    }

    func renderForm(
        _ request: Request, _ context: AppRequestContext, values: [String: String], errors: [String: String],
        status: HTTPResponse.Status
    ) throws -> Response {
        let topic = values["topic"] ?? "procedure"
        let page = FormPage(
            values: .init(
                senderName: values["sender_name"] ?? context.session?.fullName ?? "",
                senderPhone: values["sender_phone"] ?? "", senderEmail: values["sender_email"] ?? "",
                procedureCode: values["procedure_code"] ?? "", agencyCode: values["agency_code"] ?? "",
                dossierCode: values["dossier_code"] ?? "", title: values["title"] ?? "", body: values["body"] ?? ""),
            topics: FeedbackStore.Topic.allCases.map {
                FilterOption(
                    value: $0.rawValue, label: text("feedback_topic_\($0.rawValue)", context),
                    selected: $0.rawValue == topic)
            },
            signedIn: context.session != nil,
            errors: FieldErrorItem.list(errors),
            hasErrors: !errors.isEmpty, csrfToken: context.csrfToken)
        return noStore(
            try renderer.render(
                "feedback-form", title: "feedback_send_title", page: page, request: request, context: context,
                status: status, hasErrors: !errors.isEmpty))
    }

    /// The form; `?thu-tuc=`, `?co-quan=` or `?ho-so=` (from a procedure's, an agency's or a dossier's page) fill
    /// in what it is about.
    func form(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let query = request.formQuery
        var values: [String: String] = [:]
        if let code = query["thu-tuc"], code.count <= 40 {
            values["topic"] = "procedure"
            values["procedure_code"] = code
        } else if let code = query["co-quan"], code.count <= 40 {
            values["topic"] = "agency"
            values["agency_code"] = code
        } else if let code = query["ho-so"], code.count <= 60 {
            values["topic"] = "dossier"
            values["dossier_code"] = code
        }
        return try renderForm(request, context, values: values, errors: [:], status: .ok)
    }

    func submit(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        try await limiter.enforce(context.remoteAddress ?? "unknown")
        guard var values = PublicForm.values(context) else {
            return Response.redirect(to: "/phan-anh-kien-nghi?da-gui=1", type: .normal)
        }
        var errors: [String: String] = [:]
        func check(_ field: String, _ valid: Bool) {
            if !valid { errors[field] = text("feedback_error_\(field)", context) }
        }
        let session = context.session
        let name = session?.fullName ?? values["sender_name"] ?? ""
        check("sender_name", (2...100).contains(name.count))
        let phoneText = values["sender_phone"] ?? ""
        let phone = phoneText.isEmpty ? nil : AccountController.normalizedPhone(phoneText)
        check("sender_phone", phoneText.isEmpty || phone != nil)
        let email = (values["sender_email"] ?? "").isEmpty ? nil : values["sender_email"]
        check("sender_email", email.map { $0.count <= 200 && $0.contains("@") && !$0.contains(" ") } ?? true)
        // Someone not signed in must leave a way to be answered.
        if session == nil && phone == nil && email == nil && errors["sender_phone"] == nil
            && errors["sender_email"] == nil
        {
            errors["sender_phone"] = text("feedback_error_contact", context)
        }
        let topic = FeedbackStore.Topic(rawValue: values["topic"] ?? "")
        check("topic", topic != nil)
        var procedureCode: String?
        var agencyCode: String?
        var dossierCode: String?
        switch topic {
        case .procedure:
            let code = values["procedure_code"] ?? ""
            let known = !code.isEmpty && code.count <= 40 ? try await catalogue.procedure(code: code) : nil
            check("procedure_code", known != nil)
            procedureCode = known?.code
        case .agency:
            let code = values["agency_code"] ?? ""
            let known = !code.isEmpty && code.count <= 40 ? try await catalogue.agency(code: code) : nil
            check("agency_code", known != nil)
            agencyCode = known?.code
        case .dossier:
            let code = values["dossier_code"] ?? ""
            let known = !code.isEmpty && code.count <= 60 ? try await dossiers.dossier(code: code) : nil
            check("dossier_code", known != nil)
            dossierCode = known?.code
            procedureCode = known?.procedureCode
        case .other, nil:
            break
        }
        let title = values["title"] ?? ""
        check("title", (5...200).contains(title.count))
        let body = values["body"] ?? ""
        check("body", (10...5000).contains(body.count))
        guard errors.isEmpty, let topic else {
            values.removeValue(forKey: "csrf_token")
            return try renderForm(request, context, values: values, errors: errors, status: .unprocessableContent)
        }
        let ref = try await feedback.submit(
            .init(
                accountID: session?.accountID, senderName: name, senderPhone: phone,
                senderEmail: email, topic: topic, procedureCode: procedureCode, agencyCode: agencyCode,
                dossierCode: dossierCode, title: title, body: body))
        return Response.redirect(to: "/phan-anh-kien-nghi/theo-doi/\(ref)", type: .normal)
    }

    struct ItemView: Sendable {
        let id: Int64
        let url: String
        let senderName: String
        let senderPhone: String?
        let senderEmail: String?
        let about: String
        let title: String
        let body: String
        let state: String
        let tone: String
        let answer: String?
        let answeredAt: String?
        let published: Bool
        let publishedURL: String?
        let createdAt: String
        let desk: String
    }

    func view(_ item: FeedbackStore.Item, _ context: AppRequestContext, prefix: String = "/can-bo/phan-anh")
        -> ItemView
    {
        var about = text("feedback_topic_\(item.topic.rawValue)", context)
        if let code = item.dossierCode {
            about += ": \(code)"
        } else if let code = item.procedureCode {
            about += ": \(item.procedureName ?? code) (\(code))"
        } else if let code = item.agencyCode, item.topic == .agency {
            about += ": \(item.agencyName ?? code)"
        }
        return ItemView(
            id: item.id, url: "\(prefix)/\(item.id)", senderName: item.senderName, senderPhone: item.senderPhone,
            senderEmail: item.senderEmail, about: about, title: item.title, body: item.body,
            state: text("feedback_state_\(item.state.rawValue)", context),
            tone: item.state == .answered ? "tag-full" : "tag-action", answer: item.answer,
            answeredAt: item.answeredAt.flatMap(DossierViews.dateTime), published: item.publishedAt != nil,
            publishedURL: item.publishedAt.map { _ in "/phan-anh-kien-nghi/\(item.id)" },
            createdAt: DossierViews.dateTime(item.createdAt) ?? "",
            desk: item.agencyName ?? text("feedback_portal_desk", context))
    }

    func status(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        guard let ref = context.parameters.get("ref"), let item = try await feedback.item(ref: ref) else {
            throw PortalError.notFound
        }
        return noStore(
            try renderer.render(
                "feedback-status", title: "feedback_title", page: view(item, context), request: request,
                context: context))
    }

    // MARK: Desks

    /// The desk of the signed-in member of staff and the prefix of its pages: an officer's or agency
    /// administrator's agency under `/can-bo`, everything for a portal administrator under `/quan-tri`.
    func desk(_ request: Request, _ context: AppRequestContext) throws -> (
        desk: FeedbackStore.Desk, prefix: String, officerID: Int64
    ) {
        if request.uri.path.hasPrefix("/quan-tri/") {
            let (session, agency) = try context.administratorScope()
            return (agency.map { .agency($0) } ?? .portal, "/quan-tri/phan-anh", session.accountID)
        }
        guard let session = context.session, let agency = session.agencyCode else { throw PortalError.notFound }
        return (.agency(agency), "/can-bo/phan-anh", session.accountID)
    }

    struct QueuePage: Sendable {
        let action: String
        let items: [ItemView]
        let total: Int
        let states: [FilterOption]
        let pager: Pager
    }

    func queue(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (desk, prefix, _) = try desk(request, context)
        let query = request.formQuery
        let state = query["trang-thai"].flatMap { FeedbackStore.State(rawValue: $0) }
        let pageNumber = max(1, min(Int(query["trang"] ?? "1") ?? 1, 10_000))
        let (items, total) = try await feedback.queue(
            desk: desk, state: state, limit: 50, offset: (pageNumber - 1) * 50)
        let page = QueuePage(
            action: prefix, items: items.map { view($0, context, prefix: prefix) }, total: total,
            states: [FilterOption(value: "", label: text("hotline_all", context), selected: state == nil)]
                + FeedbackStore.State.allCases.map {
                    FilterOption(
                        value: $0.rawValue, label: text("feedback_state_\($0.rawValue)", context), selected: $0 == state
                    )
                },
            pager: Pager(
                page: pageNumber, perPage: 50, total: total, path: prefix, query: ["trang-thai": state?.rawValue ?? ""])
        )
        return noStore(
            try renderer.render(
                "officer-feedback", title: "feedback_queue_title", page: page, request: request, context: context))
    }

    struct ItemPage: Sendable {
        let item: ItemView
        let prefix: String
        let draftTitle: String
        let draftQuestion: String
        let draftAnswer: String
        let errors: [FieldErrorItem]
        let hasErrors: Bool
        let csrfToken: String
    }

    func renderItem(
        _ request: Request, _ context: AppRequestContext, errors: [String: String], values: [String: String],
        status: HTTPResponse.Status
    ) async throws -> Response {
        let (desk, prefix, _) = try desk(request, context)
        guard let id = context.parameters.get("id", as: Int64.self),
            let item = try await feedback.item(id: id, desk: desk)
        else { throw PortalError.notFound }
        // The texts proposed for publication: already without the personal data the portal knows of (the sender's
        // name, the dossier's applicant's, numbers and e-mail addresses), as publishing removes it again.
        let names = try await feedback.personalNames(of: item)
        let page = ItemPage(
            item: view(item, context, prefix: prefix), prefix: prefix,
            draftTitle: values["published_title"] ?? PersonalDataRedaction.redact(item.title, names: names),
            draftQuestion: values["published_question"] ?? PersonalDataRedaction.redact(item.body, names: names),
            draftAnswer: values["published_answer"]
                ?? PersonalDataRedaction.redact(item.answer ?? "", names: names),
            errors: FieldErrorItem.list(errors),
            hasErrors: !errors.isEmpty, csrfToken: context.csrfToken)
        return noStore(
            try renderer.render(
                "officer-feedback-item", title: "feedback_queue_title", page: page, request: request,
                context: context, status: status, hasErrors: !errors.isEmpty))
    }

    func item(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        try await renderItem(request, context, errors: [:], values: [:], status: .ok)
    }

    func answer(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (desk, prefix, officerID) = try desk(request, context)
        guard let id = context.parameters.get("id", as: Int64.self) else { throw PortalError.notFound }
        let answer = (context.form["answer"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard (5...5000).contains(answer.count) else {
            return try await renderItem(
                request, context, errors: ["answer": text("feedback_error_answer", context)], values: [:],
                status: .unprocessableContent)
        }
        do {
            try await feedback.answer(id: id, desk: desk, text: answer, officerID: officerID)
        } catch FeedbackError.notFound {
            throw PortalError.notFound
        }
        return Response.redirect(to: "\(prefix)/\(id)", type: .normal)
    }

    func publish(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (desk, prefix, _) = try desk(request, context)
        guard let id = context.parameters.get("id", as: Int64.self) else { throw PortalError.notFound }
        let form = context.form.mapValues { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        var errors: [String: String] = [:]
        let title = form["published_title"] ?? ""
        if !(5...200).contains(title.count) { errors["published_title"] = text("feedback_error_title", context) }
        let question = form["published_question"] ?? ""
        if !(10...5000).contains(question.count) {
            errors["published_question"] = text("feedback_error_body", context)
        }
        let answer = form["published_answer"] ?? ""
        if !(5...5000).contains(answer.count) { errors["published_answer"] = text("feedback_error_answer", context) }
        guard errors.isEmpty else {
            return try await renderItem(request, context, errors: errors, values: form, status: .unprocessableContent)
        }
        do {
            try await feedback.publish(id: id, desk: desk, title: title, question: question, answer: answer)
        } catch FeedbackError.notFound {
            throw PortalError.notFound
        } catch FeedbackError.notAnswered {
            throw PortalError(.conflict, code: "not_answered", messageKey: "feedback_error_not_answered")
        }
        return Response.redirect(to: "\(prefix)/\(id)", type: .normal)
    }

    func unpublish(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (desk, prefix, _) = try desk(request, context)
        guard let id = context.parameters.get("id", as: Int64.self) else { throw PortalError.notFound }
        try await feedback.unpublish(id: id, desk: desk)
        return Response.redirect(to: "\(prefix)/\(id)", type: .normal)
    }
}
