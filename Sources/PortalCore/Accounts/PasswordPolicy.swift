/// The password rules of OWASP ASVS 5 level 2: at least 8 characters, up to 128 allowed, no composition rules, and
/// not a common password.
public enum PasswordPolicy {
    public static let minimumLength = 8
    public static let maximumLength = 128

    /// Why a password is refused.
    public enum Problem: Sendable, Equatable {
        case tooShort, tooLong, common, mismatch
    }

    /// The first problem with a password and its confirmation, or nil when it may be used. `personal` holds words the
    /// password must not be (the ID number, tax code, e-mail).
    public static func problem(password: String, confirmation: String, personal: [String] = []) -> Problem? {
        if password.count < minimumLength { return .tooShort }
        if password.count > maximumLength { return .tooLong }
        let lowered = password.lowercased()
        if commonPasswords.contains(lowered) || personal.contains(where: { !$0.isEmpty && lowered == $0.lowercased() })
        {
            return .common
        }
        if password != confirmation { return .mismatch }
        return nil
    }

    /// Passwords people choose most, generated here rather than copied from a leak: common words and Vietnamese names
    /// with the usual endings, digit runs and repeats, and birthdays written as ddmmyyyy.
    public static let commonPasswords: Set<String> = {
        let bases = [
            "password", "passw0rd", "matkhau", "anhyeuem", "emyeuanh", "yeuem", "yeuanh", "iloveyou", "loveyou", "love",
            "qwerty", "qwertyuiop", "asdfgh", "asdfghjkl", "zxcvbn", "abc", "abcd", "abcdef", "admin", "administrator",
            "welcome", "letmein", "monkey", "dragon", "football", "master", "sunshine", "princess", "shadow",
            "superman",
            "batman", "hello", "xinchao", "vietnam", "hanoi", "saigon", "hochiminh", "danang", "haiphong", "cantho",
            "nguyen", "tran", "le", "pham", "hoang", "huynh", "phan", "vu", "vo", "dang", "bui", "do", "ho", "ngo",
            "duong", "ly", "minh", "anh", "linh", "huong", "trang", "thao", "hung", "dung", "tuan", "nam", "long",
            "hieu", "khanh", "phuong", "quang", "thanh", "hoa", "mai", "lan", "ngoc", "hai", "son", "tien", "cuong",
            "duc", "hanh", "giang", "thu", "trung", "binh", "quan", "hang", "huy", "khoa", "dat", "phong", "vy",
            "dvc", "dichvucong", "congdichvucong", "vneid", "matkhaumoi", "1q2w3e4r", "1qaz2wsx", "zaq12wsx", "qazwsx",
            "a", "aa", "aaa", "test", "demo", "user", "guest", "root", "changeme", "secret", "default", "baby", "angel",
        ]
        var suffixes = ["", "1", "12", "123", "1234", "12345", "123456", "@123", "@1234", "!", "!@#", "@", "#", "."]
        suffixes += (0...99).map { $0 < 10 ? "0\($0)" : "\($0)" }
        suffixes += (1950...2030).map(String.init)
        var passwords = Set<String>()
        for base in bases {
            for suffix in suffixes { passwords.insert(base + suffix) }
        }
        for length in 6...12 {
            for digit in 0...9 { passwords.insert(String(repeating: Character(String(digit)), count: length)) }
            let ascending = (0..<length).map { String(($0 + 1) % 10) }.joined()
            passwords.insert(ascending)
            passwords.insert(String(ascending.reversed()))
        }
        let daysInMonth = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        for year in 1950...2015 {
            for (month, days) in daysInMonth.enumerated() {
                for day in 1...days {
                    let dd = day < 10 ? "0\(day)" : "\(day)"
                    let mm = month + 1 < 10 ? "0\(month + 1)" : "\(month + 1)"
                    passwords.insert(dd + mm + String(year))
                }
            }
        }
        return passwords
    }()
}
