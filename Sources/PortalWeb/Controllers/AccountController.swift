import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdBcrypt
import NIOPosix
import PortalCore
import PortalStore

/// Registration, sign-in and sign-out for citizens and businesses.
struct AccountController: Sendable {
    let accounts: AccountStore
    let sessions: SessionStore
    let throttle: LoginThrottle
    let catalogue: CatalogueStore
    let renderer: PageRenderer
    let bcryptCost: UInt8
    let hashing: PasswordHashing
    let secureCookies: Bool

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/dang-ky") { request, context in try await self.registerForm(request, context) }
        router.post("/dang-ky") { request, context in try await self.register(request, context) }
        router.get("/dang-nhap") { request, context in try self.loginForm(request, context) }
        router.post("/dang-nhap") { request, context in try await self.login(request, context) }
        router.post("/dang-xuat") { request, context in try await self.logout(request, context) }
        router.get("/tai-khoan") { request, context in try self.account(request, context) }
    }

    // MARK: Registration

    func registerForm(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        try await renderRegister(request, context, values: ["account_type": "citizen"], errors: [:], status: .ok)
    }

    func register(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        var values = context.form.mapValues { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        values["birth_date"] = DateFields.isoValue("birth_date", in: values)
        var errors = try await validate(values, context.language)
        if errors.isEmpty, let registration = try await registration(from: values) {
            do {
                let id = try await accounts.register(registration)
                return try await startSession(accountID: id, replacing: nil)
            } catch AccountStoreError.emailTaken {
                errors["email"] = text("register_error_email_taken", context)
            } catch AccountStoreError.personalIDTaken {
                errors["personal_id"] = text("register_error_personal_id_taken", context)
            } catch AccountStoreError.taxCodeTaken {
                errors["tax_code"] = text("register_error_tax_code_taken", context)
            }
        }
        return try await renderRegister(request, context, values: values, errors: errors, status: .unprocessableContent)
    }

    /// Every problem of a registration form, by field, in the reader's language.
    func validate(_ values: [String: String], _ language: Language) async throws -> [String: String] {
        var errors: [String: String] = [:]
        func message(_ key: String) -> String { renderer.localizer.text(key, language) }
        let type = values["account_type"] ?? ""
        guard type == "citizen" || type == "business" else {
            errors["account_type"] = message("register_error_account_type")
            return errors
        }
        let birthDate = values["birth_date"].flatMap { LocalDate($0) }
        let sex = values["sex"].flatMap(Sex.init(rawValue:))
        if type == "citizen" {
            do {
                let id = try PersonalID(validating: values["personal_id"] ?? "")
                if let birthDate, let sex { try id.validate(birthDate: birthDate, sex: sex) }
            } catch {
                errors["personal_id"] = language == .english ? error.messageEn : error.messageVi
            }
            if birthDate == nil
                || birthDate.map({ $0.year < 1900 || $0.description > VietnamTime.localDate(of: Date()).description })
                    == true
            {
                errors["birth_date"] = message("register_error_birth_date")
            }
            if sex == nil { errors["sex"] = message("register_error_sex") }
        } else {
            do {
                _ = try TaxCode(validating: values["tax_code"] ?? "")
            } catch {
                errors["tax_code"] = language == .english ? error.messageEn : error.messageVi
            }
        }
        let fullName = values["full_name"] ?? ""
        if fullName.isEmpty || fullName.count > 150 { errors["full_name"] = message("register_error_full_name") }
        if Self.normalizedPhone(values["phone"] ?? "") == nil { errors["phone"] = message("register_error_phone") }
        if !AdministratorAccounts.isPlausibleEmail(values["email"] ?? "") {
            errors["email"] = message("register_error_email")
        }
        let province = values["province_code"] ?? ""
        if try await catalogue.province(code: province) == nil {
            errors["province_code"] = message("register_error_province")
        } else if let commune = values["commune_code"], !commune.isEmpty {
            if !(try await catalogue.communes(provinceCode: province)).contains(where: { $0.code == commune }) {
                errors["commune_code"] = message("register_error_commune")
            }
        }
        let personal = [values["personal_id"] ?? "", values["tax_code"] ?? "", values["email"] ?? ""]
        switch PasswordPolicy.problem(
            password: values["password"] ?? "", confirmation: values["password_confirm"] ?? "", personal: personal)
        {
        case .tooShort: errors["password"] = message("register_error_password_short")
        case .tooLong: errors["password"] = message("register_error_password_long")
        case .common: errors["password"] = message("register_error_password_common")
        case .mismatch: errors["password_confirm"] = message("register_error_password_mismatch")
        case nil: break
        }
        return errors
    }

    /// The registration to store, with the password hashed off the event loop.
    func registration(from values: [String: String]) async throws -> AccountStore.Registration? {
        let citizen = values["account_type"] == "citizen"
        let password = values["password"] ?? ""
        let cost = bcryptCost
        let hash = try await hashing.hash(password, cost: cost)
        guard let phone = Self.normalizedPhone(values["phone"] ?? "") else { return nil }
        return AccountStore.Registration(
            role: citizen ? "citizen" : "business", personalID: citizen ? values["personal_id"] : nil,
            taxCode: citizen ? nil : values["tax_code"], fullName: values["full_name"] ?? "",
            birthDate: citizen ? values["birth_date"] : nil, sex: citizen ? values["sex"] : nil, phone: phone,
            email: values["email"] ?? "", provinceCode: values["province_code"] ?? "",
            communeCode: values["commune_code"].flatMap { $0.isEmpty ? nil : $0 }, passwordHash: hash)
    }

    /// A Vietnamese mobile number as ten digits (`0912345678`), from what people type (`+84 912 345 678`).
    static func normalizedPhone(_ text: String) -> String? {
        var digits = text.filter { !" .-()".contains($0) }
        if digits.hasPrefix("+84") {
            digits = "0" + digits.dropFirst(3)
        } else if digits.hasPrefix("84") && digits.count == 11 {
            digits = "0" + digits.dropFirst(2)
        }
        guard digits.count == 10, digits.allSatisfy({ $0.isASCII && $0.isNumber }),
            ["03", "05", "07", "08", "09"].contains(String(digits.prefix(2)))
        else { return nil }
        return digits
    }

    func renderRegister(
        _ request: Request, _ context: AppRequestContext, values: [String: String], errors: [String: String],
        status: HTTPResponse.Status
    ) async throws -> Response {
        func label(_ key: String) -> String { text(key, context) }
        func field(
            _ name: String, type: String = "text", autocomplete: String = "off", inputmode: String? = nil,
            width: String = "input-20", hint: Bool = false
        ) -> FormField {
            FormField(
                name: name, label: label("register_\(name)"), hint: hint ? label("register_\(name)_hint") : nil,
                type: type, value: type == "password" ? "" : (values[name] ?? ""), error: errors[name],
                autocomplete: autocomplete, inputmode: inputmode, width: width)
        }
        let order = [
            "account_type", "personal_id", "tax_code", "full_name", "birth_date", "sex", "phone", "email",
            "province_code", "commune_code", "password", "password_confirm",
        ]
        let provinces = try await catalogue.provinces()
        let page = RegisterPage(
            csrfToken: context.csrfToken,
            errors: order.compactMap { name in errors[name].map { FormError(field: name, message: $0) } },
            hasErrors: !errors.isEmpty,
            accountTypes: ["citizen", "business"].map {
                FormChoice(value: $0, label: label("register_type_\($0)"), selected: values["account_type"] == $0)
            },
            accountTypeError: errors["account_type"],
            identityFields: [
                field("personal_id", inputmode: "numeric", width: "input-10", hint: true),
                field("tax_code", width: "input-10", hint: true),
                field("full_name", autocomplete: "name", width: "input-30"),
            ],
            birthDate: DateFields(name: "birth_date", values: values, error: errors["birth_date"]),
            contactFields: [
                field("phone", type: "tel", autocomplete: "tel", inputmode: "tel", width: "input-10", hint: true),
                field("email", type: "email", autocomplete: "email", width: "input-30"),
            ],
            closingFields: [
                field("commune_code", inputmode: "numeric", width: "input-5", hint: true),
                field("password", type: "password", autocomplete: "new-password", hint: true),
                field("password_confirm", type: "password", autocomplete: "new-password"),
            ],
            sexes: ["male", "female"].map {
                FormChoice(value: $0, label: label("register_sex_\($0)"), selected: values["sex"] == $0)
            },
            sexError: errors["sex"],
            provinces: [FormChoice(value: "", label: label("register_province_choose"), selected: false)]
                + provinces.map {
                    FormChoice(value: $0.code, label: $0.fullName, selected: values["province_code"] == $0.code)
                },
            provinceError: errors["province_code"])
        return try renderer.render(
            "register", title: "register_title", page: page, request: request, context: context, status: status,
            hasErrors: !errors.isEmpty)
    }

    // MARK: Sign-in

    func loginForm(_ request: Request, _ context: AppRequestContext) throws -> Response {
        try renderer.render(
            "login", title: "login_title",
            page: LoginPage(
                csrfToken: context.csrfToken, login: "", error: nil, next: Self.safeNext(request.formQuery["next"]),
                notice: request.formQuery["dat-lai"] == "1" ? text("login_reset_done", context) : nil),
            request: request, context: context)
    }

    func login(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let login = (context.form["login"] ?? "").trimmingCharacters(in: .whitespaces)
        let password = context.form["password"] ?? ""
        let keys = ["login:" + VietnameseText.fold(login), "address:" + (context.remoteAddress ?? "unknown")]
        if let wait = try await throttle.retryAfter(keys: keys) {
            var response = try renderLogin(
                request, context, login: login, errorKey: "login_error_throttled", status: .tooManyRequests)
            response.headers[.retryAfter] = String(wait)
            return response
        }
        let record = try await accounts.signInRecord(login: login)
        // A missing account costs a bcrypt check too, so timing does not tell which logins exist.
        let hash = record?.passwordHash ?? Self.decoyHash
        let matches = try await hashing.verify(password, hash: hash)
        if let record, matches, record.locked {
            try await accounts.recordEvent("login_locked", accountID: record.id)
            return try renderLogin(request, context, login: login, errorKey: "login_error_locked", status: .forbidden)
        }
        guard let record, matches else {
            let failedAt = Date()
            let failures = try await throttle.recordFailure(keys: keys, now: failedAt)
            try await accounts.recordEvent("login_failed", accountID: record?.id)
            // The owner hears of it once, when sign-in is first paused, with the length of the pause (read at the
            // moment of the failure, so a slow server does not shorten it).
            if let record, failures == throttle.freeFailures + 1,
                let wait = try await throttle.retryAfter(keys: [keys[0]], now: failedAt)
            {
                try await accounts.queueThrottleNotice(accountID: record.id, retryAfter: wait)
            }
            return try renderLogin(request, context, login: login, errorKey: "login_error_wrong", status: .unauthorized)
        }
        try await throttle.clear(keys: [keys[0]])
        try await accounts.recordSignIn(accountID: record.id)
        return try await startSession(
            accountID: record.id, replacing: request.cookies[SessionMiddleware.sessionCookie]?.value,
            next: Self.safeNext(context.form["next"]))
    }

    func logout(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        if let token = request.cookies[SessionMiddleware.sessionCookie]?.value, let session = context.session {
            try await sessions.delete(token: token)
            try await accounts.recordEvent("logout", accountID: session.accountID)
        }
        var response = Response.redirect(to: "/", type: .normal)
        response.setCookie(cookie(SessionMiddleware.sessionCookie, "", maxAge: 0))
        return response
    }

    func account(_ request: Request, _ context: AppRequestContext) throws -> Response {
        guard let session = context.session else { return Response.redirect(to: "/dang-nhap", type: .normal) }
        var response = try renderer.render(
            "account", title: "account_title",
            page: AccountPage(
                fullName: session.fullName, role: text("account_role_\(session.role)", context),
                csrfToken: context.csrfToken),
            request: request, context: context)
        response.headers[.cacheControl] = "no-store"
        return response
    }

    /// A new session (a new id at every sign-in; any previous one is ended) and the redirect to the account page.
    func startSession(accountID: Int64, replacing old: String?, next: String? = nil) async throws -> Response {
        if let old { try await sessions.delete(token: old) }
        let created = try await sessions.create(accountID: accountID)
        var response = Response.redirect(to: next ?? "/tai-khoan", type: .normal)
        response.setCookie(cookie(SessionMiddleware.sessionCookie, created.token))
        return response
    }

    func renderLogin(
        _ request: Request, _ context: AppRequestContext, login: String, errorKey: String, status: HTTPResponse.Status
    ) throws -> Response {
        try renderer.render(
            "login", title: "login_title",
            page: LoginPage(
                csrfToken: context.csrfToken, login: String(login.prefix(100)), error: text(errorKey, context),
                next: Self.safeNext(context.form["next"])),
            request: request, context: context, status: status, hasErrors: true)
    }

    func cookie(_ name: String, _ value: String, maxAge: Int? = nil) -> Cookie {
        Cookie(
            name: name, value: value, maxAge: maxAge, path: "/", secure: secureCookies, httpOnly: true, sameSite: .lax)
    }

    func text(_ key: String, _ context: AppRequestContext) -> String {
        renderer.localizer.text(key, context.language)
    }

    /// A local path, with its query, to return to after sign-in; anything else (another site, `//host`, odd
    /// characters) is ignored.
    static func safeNext(_ value: String?) -> String? {
        guard let value, value.hasPrefix("/"), !value.hasPrefix("//"), value.count <= 1000,
            value.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "/-_.~?=&%+".contains($0)) })
        else { return nil }
        return value
    }

    /// A bcrypt hash of a random password nobody knows, checked when the login matches no account.
    static let decoyHash = Bcrypt.hash(SessionStore.randomToken(), cost: 12)
}
