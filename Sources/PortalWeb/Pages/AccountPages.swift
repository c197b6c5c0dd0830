import Foundation

/// A text input of a form, with its label, hint, value kept after an error, and its error.
struct FormField: Sendable {
    let name: String
    let label: String
    let hint: String?
    let type: String
    let value: String
    let error: String?
    let autocomplete: String
    let inputmode: String?
    let width: String
}

/// A choice of a radio group or select.
struct FormChoice: Sendable {
    let value: String
    let label: String
    let selected: Bool
}

/// An entry of the error summary, linking to its field.
struct FormError: Sendable {
    let field: String
    let message: String
}

/// The registration form.
struct RegisterPage: Sendable {
    let csrfToken: String
    let errors: [FormError]
    let hasErrors: Bool
    let accountTypes: [FormChoice]
    let accountTypeError: String?
    /// Identity questions, asked before sex.
    let identityFields: [FormField]
    /// The birth date as three fields (day, month, year), stored as `birth_date`.
    let birthDate: DateFields
    /// Contact questions, asked before the province.
    let contactFields: [FormField]
    /// The commune and the password, asked after the province.
    let closingFields: [FormField]
    let sexes: [FormChoice]
    let sexError: String?
    let provinces: [FormChoice]
    let provinceError: String?
}

/// The sign-in form.
struct LoginPage: Sendable {
    let csrfToken: String
    let login: String
    let error: String?
    /// Where to go after signing in (a local path), kept through the form.
    var next: String?
    /// A confirmation shown above the form (after a password reset).
    var notice: String? = nil
}

/// The signed-in person's account page.
struct AccountPage: Sendable {
    let fullName: String
    let role: String
    let csrfToken: String
}

/// A date asked as three numeric fields, as people write it: ngày / tháng / năm.
struct DateFields: Sendable {
    let name: String
    let day: String
    let month: String
    let year: String
    let error: String?

    /// The ISO date from the three fields (`birth_date_day` …), or the field itself when a client sends it whole.
    static func isoValue(_ name: String, in values: [String: String]) -> String {
        if let whole = values[name], !whole.isEmpty { return whole }
        let day = values[name + "_day"] ?? ""
        let month = values[name + "_month"] ?? ""
        let year = values[name + "_year"] ?? ""
        guard !(day.isEmpty && month.isEmpty && year.isEmpty) else { return "" }
        guard let d = Int(day), let m = Int(month), let y = Int(year) else { return "\(year)-\(month)-\(day)" }
        return String(format: "%04d-%02d-%02d", y, m, d)
    }

    /// The three fields from submitted values (or from an ISO value).
    init(name: String, values: [String: String], error: String?) {
        self.name = name
        self.error = error
        let parts = (values[name] ?? "").split(separator: "-").map(String.init)
        if values[name + "_year"] == nil, parts.count == 3 {
            year = parts[0]
            month = parts[1]
            day = parts[2]
        } else {
            day = values[name + "_day"] ?? ""
            month = values[name + "_month"] ?? ""
            year = values[name + "_year"] ?? ""
        }
    }
}
