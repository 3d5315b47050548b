-- Neovim headless smoke test: Neovim's own LSP client starts the bundled server, receives diagnostics, asks for a hover.
local root = vim.fn.getcwd()
local passed, failed = 0, 0
local function ok(cond, name)
  if cond then passed = passed + 1; io.stdout:write('ok   ' .. name .. '\n')
  else failed = failed + 1; io.stdout:write('FAIL ' .. name .. '\n') end
end

local bufnr = vim.api.nvim_get_current_buf()
local client_id = vim.lsp.start_client({
  name = 'gunicorn-config',
  cmd = { 'node', root .. '/dist/server.js', '--stdio' },
  root_dir = root .. '/test/nvim/workspace',
})
vim.lsp.buf_attach_client(bufnr, client_id)

local got = vim.wait(15000, function() return #vim.diagnostic.get(bufnr) > 0 end, 20)
local diagnostics = vim.diagnostic.get(bufnr)
local codes = {}
for _, d in ipairs(diagnostics) do codes[#codes + 1] = tostring(d.code) end
io.stdout:write('diagnostics: ' .. table.concat(codes, ', ') .. '\n')
ok(got and vim.tbl_contains(codes, 'unknown-setting'), 'diagnostics arrive with rule codes')

local responses = vim.lsp.buf_request_sync(bufnr, 'textDocument/hover', {
  textDocument = { uri = vim.uri_from_bufnr(bufnr) },
  position = { line = 1, character = 2 },
}, 5000)
local text = ''
for _, r in pairs(responses or {}) do
  if r.result and r.result.contents then text = text .. vim.inspect(r.result.contents) end
end
ok(text:find('timeout') ~= nil, 'hover documents the setting')

vim.lsp.stop_client(client_id)
io.stdout:write(string.format('%d passed, %d failed\n', passed, failed))
if failed > 0 then vim.cmd('cquit 1') else vim.cmd('qall!') end
