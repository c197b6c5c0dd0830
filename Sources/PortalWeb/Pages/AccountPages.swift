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
}

/// The signed-in person's account page.
struct AccountPage: Sendable {
    let fullName: String
    let role: String
    let csrfToken: String
}
