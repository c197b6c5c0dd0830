import Foundation
import HTTPTypes
import Hummingbird
import Logging
import PortalCore
import PortalStore

/// Administration: staff accounts (create, lock, unlock, reset two-factor) and procedures' dossier forms.
///
/// Administrators manage everything; an agency administrator manages only the officers of their own agency and
/// no forms. The access policy lets only these two roles in, after two-factor.
struct AdminController: Sendable {
    let accounts: AccountStore
    let staff: AdministratorAccounts
    let dossiers: DossierStore
    let catalogue: CatalogueStore
    let renderer: PageRenderer
    let logger: Logger
    static let perPage = 50

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/quan-tri") { request, context in try await self.home(request, context) }
        router.post("/quan-tri/tai-khoan") { request, context in try await self.create(request, context) }
        router.post("/quan-tri/tai-khoan/{id}/{action}") { request, context in try await self.act(request, context) }
        router.get("/quan-tri/bieu-mau") { request, context in try await self.formSchema(request, context) }
        router.post("/quan-tri/bieu-mau") { request, context in try await self.saveFormSchema(request, context) }
    }

    /// The administrator, and the agency they are limited to (nil for a full administrator).
    func text(_ key: String, _ context: AppRequestContext, _ values: [String: String] = [:]) -> String {
        renderer.localizer.text(key, context.language, values)
    }

    // MARK: Accounts

    func home(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        try await render(request, context, values: [:], errors: [], notice: request.formQuery["xong"], status: .ok)
    }

    func render(
        _ request: Request, _ context: AppRequestContext, values: [String: String], errors: [AdminPage.ErrorItem],
        notice: String?, status: HTTPResponse.Status
    ) async throws -> Response {
        let (session, agency) = try context.administratorScope()
        let query = String((request.formQuery["q"] ?? "").trimmingCharacters(in: .whitespaces).prefix(100))
        let pageNumber = try DossierController.pageNumber(request)
        let (items, total) = try await accounts.listed(
            email: query, agencyCode: agency, limit: Self.perPage, offset: (pageNumber - 1) * Self.perPage)
        let roles: [StaffRole] = agency == nil ? StaffRole.allCases : [.officer]
        let page = AdminPage(
            isAgencyAdmin: agency != nil, agencyCode: agency, query: query,
            accounts: items.map { item in
                .init(
                    id: item.id, fullName: item.fullName, email: item.email ?? "",
                    role: text("dossier_access_role_\(item.role)", context), agencyCode: item.agencyCode ?? "",
                    locked: item.locked, twoFactor: item.twoFactorEnabled,
                    lastLogin: DossierViews.dateTime(item.lastLoginAt) ?? "—", isSelf: item.id == session.accountID,
                    isStaff: StaffRole(rawValue: item.role) != nil,
                    roleOptions: StaffRole.allCases.map {
                        FilterOption(
                            value: $0.rawValue, label: text("dossier_access_role_\($0.rawValue)", context),
                            selected: $0.rawValue == item.role)
                    })
            },
            total: total,
            pager: Pager(
                page: pageNumber, perPage: Self.perPage, total: total, path: "/quan-tri", query: ["q": query]),
            roles: roles.map {
                FilterOption(
                    value: $0.rawValue, label: text("dossier_access_role_\($0.rawValue)", context),
                    selected: (values["role"] ?? "officer") == $0.rawValue)
            },
            values: .init(
                email: values["email"] ?? "", fullName: values["full_name"] ?? "",
                agencyCode: agency ?? values["agency_code"] ?? ""),
            errors: errors, hasErrors: !errors.isEmpty,
            notice: notice.flatMap {
                ["created", "locked", "unlocked", "reset", "saved", "role"].contains($0) ? $0 : nil
            }
            .map { text("admin_done_\($0)", context) },
            csrfToken: context.csrfToken)
        var response = try renderer.render(
            "admin", title: "admin_title", page: page, request: request, context: context, status: status,
            hasErrors: !errors.isEmpty)
        response.headers[.cacheControl] = "no-store"
        return response
    }

    func create(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (session, agency) = try context.administratorScope()
        let values = context.form.mapValues { $0.trimmingCharacters(in: .whitespaces) }
        guard let role = StaffRole(rawValue: values["role"] ?? ""), agency == nil || role == .officer else {
            return try await render(
                request, context, values: values,
                errors: [.init(field: "role", message: text("admin_error_role", context))], notice: nil,
                status: .unprocessableContent)
        }
        do {
            try await staff.createStaff(
                role: role, email: values["email"] ?? "", password: context.form["password"] ?? "",
                fullName: values["full_name"] ?? "", agencyCode: agency ?? values["agency_code"],
                createdBy: session.accountID)
        } catch let error as AccountInputError {
            let field = error.field == "name" ? "full_name" : error.field == "agency" ? "agency_code" : error.field
            return try await render(
                request, context, values: values,
                errors: [.init(field: field, message: text("admin_error_\(field)", context))], notice: nil,
                status: .unprocessableContent)
        }
        logger.info("staff account created", metadata: ["role": "\(role.rawValue)"])
        return Response.redirect(to: "/quan-tri?xong=created", type: .normal)
    }

    func act(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (session, agency) = try context.administratorScope()
        guard let id = context.parameters.get("id", as: Int64.self), id != session.accountID,
            let target = try await accounts.listed(accountID: id)
        else { throw PortalError.notFound }
        // An agency administrator acts only on the officers of their agency.
        if let agency, target.agencyCode != agency || target.role != "officer" { throw PortalError.notFound }
        let done: String
        switch context.parameters.get("action") ?? "" {
        case "khoa":
            try await accounts.setLocked(true, accountID: id, by: session.accountID)
            done = "locked"
        case "mo-khoa":
            try await accounts.setLocked(false, accountID: id, by: session.accountID)
            done = "unlocked"
        case "dat-lai-hai-buoc":
            try await accounts.resetTwoFactor(accountID: id, by: session.accountID)
            done = "reset"
        case "vai-tro":
            // Only a full administrator changes roles and agencies.
            guard agency == nil else { throw PortalError.notFound }
            guard let role = StaffRole(rawValue: context.form["role"] ?? "") else {
                return try await render(
                    request, context, values: [:],
                    errors: [.init(field: "role", message: text("admin_error_role", context))], notice: nil,
                    status: .unprocessableContent)
            }
            do {
                try await accounts.changeStaffRole(
                    accountID: id, to: role,
                    agencyCode: (context.form["agency_code"] ?? "").trimmingCharacters(in: .whitespaces),
                    by: session.accountID)
            } catch AccountStoreError.unknownAgency {
                return try await render(
                    request, context, values: [:],
                    errors: [.init(field: "agency_code", message: text("admin_error_agency_code", context))],
                    notice: nil, status: .unprocessableContent)
            } catch AccountStoreError.notStaff {
                throw PortalError.notFound
            }
            done = "role"
        default:
            throw PortalError.notFound
        }
        return Response.redirect(to: "/quan-tri?xong=\(done)", type: .normal)
    }

    // MARK: Forms

    func formSchema(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (_, agency) = try context.administratorScope()
        guard agency == nil else { throw PortalError.notFound }
        let code = request.formQuery["thu_tuc"] ?? ""
        guard let procedure = try await catalogue.procedure(code: code) else {
            return try renderSchema(
                request, context, procedure: nil, code: code, json: "",
                errors: code.isEmpty ? [] : [text("error_procedure_not_found", context)],
                saved: false, status: code.isEmpty ? .ok : .notFound)
        }
        let schema = try await dossiers.formSchema(for: procedure)
        return try renderSchema(
            request, context, procedure: procedure, code: code, json: try Self.prettyJSON(schema), errors: [],
            saved: request.formQuery["xong"] == "1", status: .ok)
    }

    func saveFormSchema(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (_, agency) = try context.administratorScope()
        guard agency == nil else { throw PortalError.notFound }
        let code = context.form["procedure_code"] ?? ""
        guard let procedure = try await catalogue.procedure(code: code) else { throw PortalError.notFound }
        let json = context.form["schema"] ?? ""
        let english = context.language == .english
        let schema: DossierFormSchema
        do {
            schema = try JSONDecoder().decode(DossierFormSchema.self, from: Data(json.utf8))
        } catch {
            return try renderSchema(
                request, context, procedure: procedure, code: code, json: json,
                errors: [text("admin_error_schema_json", context)], saved: false, status: .unprocessableContent)
        }
        let problems = schema.problems(documentCount: procedure.documents.count)
        guard problems.isEmpty else {
            return try renderSchema(
                request, context, procedure: procedure, code: code, json: json,
                errors: problems.map { english ? $0.messageEn : $0.messageVi }, saved: false,
                status: .unprocessableContent)
        }
        try await dossiers.saveFormSchema(schema, procedureCode: procedure.code)
        logger.info("dossier form changed", metadata: ["procedure": "\(procedure.code)"])
        var components = URLComponents()
        components.path = "/quan-tri/bieu-mau"
        components.queryItems = [
            URLQueryItem(name: "thu_tuc", value: procedure.code), URLQueryItem(name: "xong", value: "1"),
        ]
        return Response.redirect(to: components.string ?? "/quan-tri/bieu-mau", type: .normal)
    }

    func renderSchema(
        _ request: Request, _ context: AppRequestContext, procedure: Procedure?, code: String, json: String,
        errors: [String], saved: Bool, status: HTTPResponse.Status
    ) throws -> Response {
        let page = AdminSchemaPage(
            code: String(code.prefix(60)), procedureName: procedure?.localizedName(context.language),
            documents: procedure?.documents.enumerated().map { "\($0.offset): \($0.element.name)" } ?? [],
            json: json, errors: errors, hasErrors: !errors.isEmpty, saved: saved, csrfToken: context.csrfToken)
        var response = try renderer.render(
            "admin-schema", title: "admin_schema_title", page: page, request: request, context: context,
            status: status, hasErrors: !errors.isEmpty)
        response.headers[.cacheControl] = "no-store"
        return response
    }

    static func prettyJSON(_ schema: DossierFormSchema) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(schema), as: UTF8.self)
    }
}

/// The administration home: accounts and the form to create a staff account.
struct AdminPage: Sendable {
    struct Account: Sendable {
        let id: Int64
        let fullName: String
        let email: String
        let role: String
        let agencyCode: String
        let locked: Bool
        let twoFactor: Bool
        let lastLogin: String
        let isSelf: Bool
        let isStaff: Bool
        let roleOptions: [FilterOption]
    }
    struct Values: Sendable {
        let email: String
        let fullName: String
        let agencyCode: String
    }
    struct ErrorItem: Sendable {
        let field: String
        let message: String
    }
    let isAgencyAdmin: Bool
    let agencyCode: String?
    let query: String
    let accounts: [Account]
    let total: Int
    let pager: Pager
    let roles: [FilterOption]
    let values: Values
    let errors: [ErrorItem]
    let hasErrors: Bool
    let notice: String?
    let csrfToken: String
}

/// Editing a procedure's dossier form as JSON.
struct AdminSchemaPage: Sendable {
    let code: String
    let procedureName: String?
    let documents: [String]
    let json: String
    let errors: [String]
    let hasErrors: Bool
    let saved: Bool
    let csrfToken: String
}
