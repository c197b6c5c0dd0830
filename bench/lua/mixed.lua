-- P4 (and P5 at overload): the portal's mixed public workload, by user action:
--   70 % lookup and catalogue: lookup JSON 20, lookup page 15, search JSON 15, search page 10, procedure page 10
--   20 % pages: home 8, statistics 4, agencies 2, sign-in form 3, catalogue browsing 3
--    8 % sign-in (POST /dang-nhap with a citizen's ID number and password)
--    2 % submission: create a draft, save its form, upload a 1 MB PDF, submit (four requests, in order)
--
-- wrk does not say which request a response answers, so a submission is driven by the redirects the portal
-- answers with (/ho-so/{ref}, /ho-so/{ref}/xem-lai, /ho-so/{ref}/bien-nhan). Only the draft's creation carries no
-- reference to its session, so each thread has at most one creation in flight; a submission drawn meanwhile is
-- owed and started as soon as the creation answers, so the mix holds.
--
-- Arguments: codes, queries, procedures, logins (ID numbers), password, sessions (token <tab> CSRF token),
-- submission targets (procedure <tab> agency <tab> upload slot), attachment size in bytes.
package.path = os.getenv("BENCH_LUA_DIR") .. "/?.lua;" .. package.path
local common = require("common")

setup = common.setup
done = common.done

local BOUNDARY = "----opendvc-bench-7d1e4a"
local ANONYMOUS_CSRF = "0123456789abcdef0123456789abcdef"

local function form(values)
    local parts = {}
    for i = 1, #values, 2 do parts[#parts + 1] = values[i] .. "=" .. common.urlencode(values[i + 1]) end
    return table.concat(parts, "&")
end

function init(args)
    common.seed()
    codes = common.lines(args[1])
    queries = common.lines(args[2])
    procedures = common.lines(args[3])
    logins = common.lines(args[4])
    password = args[5]
    sessions = {}
    for _, line in ipairs(common.lines(args[6])) do sessions[#sessions + 1] = common.fields(line) end
    targets = {}
    for _, line in ipairs(common.lines(args[7])) do targets[#targets + 1] = common.fields(line) end
    -- A PDF-looking filler; each upload gets a unique first line, so that content-addressed storage keeps every
    -- file (identical uploads would be stored once).
    local chunk = {}
    for i = 1, 1024 do chunk[i] = string.char(97 + math.random(0, 25)) end
    filler = string.rep(table.concat(chunk), math.floor(tonumber(args[8]) / 1024))
    pending = {}
    drafts = {}
    creating = nil
    creating_since = 0
    owed = 0
    next_session = 0
    uploads = 0
end

local function action(name, method, path, headers, body)
    common.count("action_" .. name)
    return wrk.format(method, path, headers, body)
end

local function session_headers(session, extra)
    local headers = { ["Cookie"] = "phien=" .. session[1] }
    for key, value in pairs(extra or {}) do headers[key] = value end
    return headers
end

local FORM = { ["Content-Type"] = "application/x-www-form-urlencoded" }

local function start_submission()
    next_session = next_session % #sessions + 1
    local session = sessions[next_session]
    local target = targets[math.random(#targets)]
    creating = { session = session, target = target }
    creating_since = os.time()
    return action("submit", "POST", "/ho-so", session_headers(session, FORM),
        form({ "csrf_token", session[2], "procedure_code", target[1], "agency_code", target[2] }))
end

local function read_action(r)
    if r < 0.20 then
        return action("lookup_api", "GET", "/api/v1/dossiers/" .. codes[math.random(#codes)] .. "/status")
    elseif r < 0.35 then
        return action("lookup_page", "GET", "/tra-cuu?code=" .. codes[math.random(#codes)])
    elseif r < 0.50 then
        return action("search_api", "GET", "/api/v1/procedures?q=" .. common.urlencode(queries[math.random(#queries)]))
    elseif r < 0.60 then
        return action("search_page", "GET", "/thu-tuc?q=" .. common.urlencode(queries[math.random(#queries)]))
    elseif r < 0.70 then
        return action("procedure_page", "GET", "/thu-tuc/" .. procedures[math.random(#procedures)])
    elseif r < 0.78 then
        return action("home", "GET", "/")
    elseif r < 0.82 then
        return action("statistics", "GET", "/thong-ke")
    elseif r < 0.84 then
        return action("agencies", "GET", "/co-quan")
    elseif r < 0.87 then
        return action("login_form", "GET", "/dang-nhap")
    elseif r < 0.90 then
        return action("browse", "GET", "/thu-tuc?trang=" .. math.random(1, 20))
    end
    return action("login", "POST", "/dang-nhap",
        { ["Content-Type"] = "application/x-www-form-urlencoded", ["Cookie"] = "csrf=" .. ANONYMOUS_CSRF },
        form({ "csrf_token", ANONYMOUS_CSRF, "login", logins[math.random(#logins)], "password", password }))
end

function request()
    if #pending > 0 then return table.remove(pending, 1) end
    -- A creation that never answered (a timeout under overload) is given up after ten seconds.
    if creating and os.time() - creating_since > 10 then
        common.count("submission_creation_lost")
        creating = nil
    end
    if owed > 0 and not creating then
        owed = owed - 1
        return start_submission()
    end
    local r = math.random()
    if r >= 0.98 then
        if not creating then return start_submission() end
        owed = owed + 1
        common.count("submission_deferred")
        r = math.random() * 0.98
    end
    return read_action(r)
end

local function upload(ref, draft)
    uploads = uploads + 1
    local session, target = draft.session, draft.target
    local body = table.concat({
        "--", BOUNDARY, '\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n', session[2], "\r\n",
        "--", BOUNDARY, '\r\nContent-Disposition: form-data; name="slot"\r\n\r\n', target[3], "\r\n",
        "--", BOUNDARY, '\r\nContent-Disposition: form-data; name="file"; filename="giay-to-', uploads, '.pdf"\r\n',
        "Content-Type: application/pdf\r\n\r\n",
        "%PDF-1.4\n% ", thread_number, "-", uploads, "-", os.time(), "-", math.random(1e9), "\n", filler, "\r\n",
        "--", BOUNDARY, "--\r\n",
    })
    return wrk.format("POST", "/ho-so/" .. ref .. "/tep",
        session_headers(session, { ["Content-Type"] = "multipart/form-data; boundary=" .. BOUNDARY }), body)
end

function response(status, headers, body)
    common.count_response(status, headers)
    local location = headers["Location"] or headers["location"]
    if status ~= 303 or not location then return end
    local ref, rest = location:match("^/ho%-so/(%x+)(.*)$")
    if not ref then return end
    local draft = drafts[ref]
    if not draft and rest == "" and creating then
        -- The draft just created: save its form and go to review.
        draft = creating
        creating = nil
        draft.stage = "created"
        drafts[ref] = draft
        pending[#pending + 1] = wrk.format("POST", "/ho-so/" .. ref .. "/luu", session_headers(draft.session, FORM),
            form({ "csrf_token", draft.session[2], "next", "review", "contact_address", "Số 1, đường Lê Lợi",
                "request_details", "Đề nghị giải quyết thủ tục theo hồ sơ đính kèm" }))
    elseif draft and rest == "/xem-lai" and draft.stage == "created" then
        draft.stage = "saved"
        pending[#pending + 1] = upload(ref, draft)
    elseif draft and rest == "" and draft.stage == "saved" then
        draft.stage = "uploaded"
        common.count("uploads_stored")
        pending[#pending + 1] = wrk.format("POST", "/ho-so/" .. ref .. "/nop", session_headers(draft.session, FORM),
            form({ "csrf_token", draft.session[2] }))
    elseif draft and rest == "/bien-nhan" then
        drafts[ref] = nil
        common.count("submissions_completed")
    end
end
