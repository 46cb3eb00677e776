-- Each request: a random fan (bearer token from TOKENS_FILE) asks for a 10-second sora2 video.
local tokens = {}
local n = 0

function init(args)
  for line in io.lines(os.getenv("TOKENS_FILE")) do tokens[#tokens + 1] = line end
  math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16) % 100000)
end

request = function()
  n = n + 1
  local token = tokens[math.random(#tokens)]
  local body = '{"prompt":"一只猫在草地上奔跑，第 ' .. n .. ' 个镜头","duration_sec":10,"ratio":"9:16","model":"sora2"}'
  return wrk.format("POST", "/v1/tasks/create", {["Authorization"] = "Bearer " .. token,
                                                  ["Content-Type"] = "application/json"}, body)
end
