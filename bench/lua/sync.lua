-- P3: agencies' one-stop systems reporting status events in batches through POST /api/v1/sync/dossiers.
-- Each wrk thread is one agency client: run with as many threads as connections. Every batch reports
-- `batch / 10` new dossiers of today with ten events each, in order, with an Idempotency-Key, as a well-behaved
-- client does. Arguments: tokens (comma-separated, one per thread), agencies (likewise), the applicants file
-- (ID <tab> name), the procedures file (one code a line), the batch size.
package.path = os.getenv("BENCH_LUA_DIR") .. "/?.lua;" .. package.path
local common = require("common")

setup = common.setup
done = common.done

local STATUSES = { 1, 2, 4, 6, 4, 5, 4, 6, 4, 9 }
local NOTES = { [5] = "Bổ sung bản sao giấy tờ tùy thân" }

local function split(text)
    local result = {}
    for item in text:gmatch("[^,]+") do result[#result + 1] = item end
    return result
end

local function iso(seconds)
    return os.date("!%Y-%m-%dT%H:%M:%S+07:00", seconds + 7 * 3600)
end

function init(args)
    common.seed()
    token = split(args[1])[thread_number]
    agency = split(args[2])[thread_number]
    applicants = {}
    for _, line in ipairs(common.lines(args[3])) do applicants[#applicants + 1] = common.fields(line) end
    procedures = common.lines(args[4])
    batch = tonumber(args[5])
    today = os.date("!%y%m%d", os.time() + 7 * 3600)
    -- Above any sequence an agency reaches in a day, so that these codes are new.
    sequence = 100000
    sent = 0
end

local function item(code, procedure, applicant, step, received, at)
    local status = STATUSES[step]
    local parts = {
        '{"dossier_code":"', code, '","procedure_code":"', procedure, '","agency":"', agency,
        '","applicant":{"type":1,"id":"', applicant[1], '","name":"', applicant[2], '"},"channel":2,"status":',
        status, ',"event_id":"', code, ".", step, '","event_at":"', iso(at), '"',
    }
    if received then
        parts[#parts + 1] = ',"received_at":"' .. iso(received) .. '","due_at":"' .. iso(received + 15 * 86400) .. '"'
    end
    if NOTES[status] then parts[#parts + 1] = ',"note":"' .. NOTES[status] .. '"' end
    parts[#parts + 1] = "}"
    return table.concat(parts)
end

function request()
    local items = {}
    local start = os.time() - 3600
    for _ = 1, batch / #STATUSES do
        sequence = sequence + 1
        local code = agency .. "-" .. today .. "-" .. sequence
        local procedure = procedures[math.random(#procedures)]
        local applicant = applicants[math.random(#applicants)]
        local received
        for step = 1, #STATUSES do
            local at = start + step * 60
            if STATUSES[step] == 2 then received = at end
            items[#items + 1] = item(code, procedure, applicant, step, received, at)
        end
    end
    sent = sent + 1
    return wrk.format("POST", "/api/v1/sync/dossiers", {
        ["Authorization"] = "Bearer " .. token,
        ["Content-Type"] = "application/json",
        ["Idempotency-Key"] = "bench-" .. thread_number .. "-" .. sent,
    }, '{"items":[' .. table.concat(items, ",") .. "]}")
end

function response(status, headers, body)
    common.count_response(status, headers)
    if status == 200 then
        common.count("items_accepted", tonumber(body:match('"accepted":(%d+)')) or 0)
        common.count("items_rejected", tonumber(body:match('"rejected":(%d+)')) or 0)
        common.count("items_duplicate", tonumber(body:match('"duplicates":(%d+)')) or 0)
    end
end
