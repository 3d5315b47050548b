-- Neovim headless smoke test: Neovim's own LSP client (a second, independent real client) starts the bundled server
-- over stdio, receives diagnostics for a gunicorn.conf.py with a mistake, and asks for a hover and a completion; then the
-- same for an nginx site, Go to Definition from an app spec in a fixture project's Dockerfile and from a proxy_pass
-- to its upstream in another file, then document and workspace symbols, references, rename, formatting, fix-all and
-- inlay hints.
-- Run through test/nvim/run.sh (throwaway XDG dirs). Prints "N passed, N failed"; exit code 1 on any failure.
local root = vim.fn.getcwd()
local server = os.getenv('GUNICORN_CONFIG_SERVER') or (root .. '/dist/server.js')
-- run.sh installs the packed npm tarball into a throwaway prefix and names its bin here, as a user's PATH would have it.
local installed_bin = os.getenv('GUNICORN_CONFIG_SERVER_BIN')
-- run.sh hands us a throwaway copy of test/nvim/workspace, so nothing the client does can reach the repository.
local workspace = os.getenv('GC_NVIM_WORKSPACE') or (root .. '/test/nvim/workspace')
local passed, failed = 0, 0
local function out(s) io.stdout:write(s .. '\n') end -- print() does not reach stdout under --headless
local function ok(cond, name, detail)
  if cond then
    passed = passed + 1
    out('ok   ' .. name)
  else
    failed = failed + 1
    out('FAIL ' .. name .. (detail and (': ' .. detail) or ''))
  end
end

-- The text of every hover answer for a position in a buffer.
local function hover_text(buf, line, character)
  local responses = vim.lsp.buf_request_sync(buf, 'textDocument/hover', {
    textDocument = { uri = vim.uri_from_bufnr(buf) },
    position = { line = line, character = character },
  }, 5000)
  local text = ''
  for _, r in pairs(responses or {}) do
    if r.result and r.result.contents then
      local c = r.result.contents
      text = text .. (type(c) == 'table' and c.value or vim.inspect(c))
    end
  end
  return text
end

local function main()
  local bufnr = vim.api.nvim_get_current_buf()
  local uri = vim.uri_from_bufnr(bufnr)
  local client_id = vim.lsp.start_client({
    name = 'gunicorn-config',
    cmd = installed_bin and { installed_bin, '--stdio' } or { 'node', server, '--stdio' },
    root_dir = workspace,
  })
  if not client_id then
    ok(false, 'start the language server', 'vim.lsp.start_client returned nil')
    return
  end
  vim.lsp.buf_attach_client(bufnr, client_id)

  -- Diagnostics: `worker = 4` on line 1 is not a setting.
  local got = vim.wait(15000, function() return #vim.diagnostic.get(bufnr) > 0 end, 20)
  local diagnostics = vim.diagnostic.get(bufnr)
  local summary = {}
  local unknown
  for _, d in ipairs(diagnostics) do
    summary[#summary + 1] = string.format('%s/%s@%d:%d', tostring(d.source), tostring(d.code), d.lnum, d.col)
    if d.code == 'unknown-setting' and d.source == 'gunicorn-config' and d.lnum == 0 then unknown = d end
  end
  out('diagnostics: ' .. table.concat(summary, ', '))
  ok(got and unknown ~= nil, 'diagnostic unknown-setting from gunicorn-config on line 1', table.concat(summary, ', '))

  -- Hover on `timeout` (line 2).
  local text = hover_text(bufnr, 1, 2)
  ok(text:find('timeout', 1, true) and text:find('docs.gunicorn.org', 1, true), 'hover documents timeout with a docs link',
    text:sub(1, 200))

  -- Completion on the empty line 3.
  local responses = vim.lsp.buf_request_sync(bufnr, 'textDocument/completion', {
    textDocument = { uri = uri },
    position = { line = 2, character = 0 },
  }, 5000)
  local labels = {}
  for _, r in pairs(responses or {}) do
    local items = r.result and (r.result.items or r.result) or {}
    for _, item in ipairs(items) do labels[item.label] = true end
  end
  ok(labels['workers'] and labels['worker_class'], 'completion offers workers and worker_class')

  -- The same server on an nginx file: the server knows it by its name whatever filetype Neovim gives it.
  vim.cmd('edit ' .. workspace .. '/site.nginx')
  local site = vim.api.nvim_get_current_buf()
  vim.lsp.buf_attach_client(site, client_id)
  local typo
  vim.wait(15000, function()
    for _, d in ipairs(vim.diagnostic.get(site)) do
      if d.code == 'nginx-unknown-directive' and d.lnum == 4 then typo = d end
    end
    return typo ~= nil
  end, 20)
  ok(typo ~= nil, 'nginx diagnostic nginx-unknown-directive on line 5')
  text = hover_text(site, 3, 10)
  ok(text:find('proxy_pass', 1, true) and text:find('nginx.org', 1, true), 'nginx hover documents proxy_pass',
    text:sub(1, 200))

  -- Go to Definition from an app spec: the Django fixture project's Dockerfile (copied in as apps/ by run.sh) leads to
  -- `application` in its wsgi module. Its cross-file diagnostic says the model's build for this text is in.
  local dockerfile = workspace .. '/apps/django/broken/Dockerfile'
  vim.cmd('edit ' .. dockerfile)
  local docker = vim.api.nvim_get_current_buf()
  vim.lsp.buf_attach_client(docker, client_id)
  local settings
  vim.wait(15000, function()
    for _, d in ipairs(vim.diagnostic.get(docker)) do
      if d.code == 'django-settings-module-missing' then settings = d end
    end
    return settings ~= nil
  end, 20)
  ok(settings ~= nil, 'django-settings-module-missing on the Dockerfile of the Django project')
  local spec_line, spec_col = 0, 0
  for i, l in ipairs(vim.api.nvim_buf_get_lines(docker, 0, -1, false)) do
    local c = l:find('bookshop.wsgi:application', 1, true)
    if c then spec_line, spec_col = i - 1, c - 1 + 3 end
  end
  local answers = vim.lsp.buf_request_sync(docker, 'textDocument/definition', {
    textDocument = { uri = vim.uri_from_bufnr(docker) },
    position = { line = spec_line, character = spec_col },
  }, 5000)
  local target
  for _, r in pairs(answers or {}) do
    local first = r.result and r.result[1]
    if first then
      target = { uri = first.targetUri or first.uri, line = (first.targetSelectionRange or first.range).start.line }
    end
  end
  local wsgi = workspace .. '/apps/django/broken/bookshop/wsgi.py'
  local expected
  for i, l in ipairs(vim.fn.readfile(wsgi)) do
    if l:find('^application =') then expected = i - 1 end
  end
  ok(target ~= nil and target.uri == vim.uri_from_fname(wsgi) and target.line == expected,
    'definition from the app spec leads to application in bookshop/wsgi.py', vim.inspect(target))
  -- Outline: the site's server block nests its location (Neovim declares hierarchical document symbols).
  responses = vim.lsp.buf_request_sync(site, 'textDocument/documentSymbol', {
    textDocument = { uri = vim.uri_from_bufnr(site) },
  }, 5000)
  local outline = {}
  for _, r in pairs(responses or {}) do
    for _, s in ipairs(r.result or {}) do
      outline[#outline + 1] = s.name
      for _, c in ipairs(s.children or {}) do outline[#outline + 1] = '  ' .. c.name end
    end
  end
  ok(table.concat(outline, '|') == 'server|  location /', 'document symbols nest location / in server',
    table.concat(outline, '|'))
  responses = vim.lsp.buf_request_sync(bufnr, 'textDocument/documentSymbol', {
    textDocument = { uri = uri },
  }, 5000)
  local sections = {}
  for _, r in pairs(responses or {}) do
    for _, s in ipairs(r.result or {}) do sections[s.name] = s.children and #s.children or 0 end
  end
  ok(sections['Worker Processes'] ~= nil, 'document symbols group the config by Gunicorn section',
    vim.inspect(sections))
  -- Workspace symbols: the config file by name (the site's diagnostics above came after the first deployment build).
  responses = vim.lsp.buf_request_sync(bufnr, 'workspace/symbol', { query = 'gunicorn.conf' }, 5000)
  -- The fixture projects copied in as apps/ have configs of the same name: the workspace root's must be among them.
  local found, root_config = {}, false
  for _, r in pairs(responses or {}) do
    for _, s in ipairs(r.result or {}) do
      found[#found + 1] = s.name
      if s.name == 'gunicorn.conf.py' and s.location and s.location.uri == uri then root_config = true end
    end
  end
  ok(root_config, 'workspace symbols find the Gunicorn config', table.concat(found, '|'))

  -- Go to Definition from `proxy_pass http://shop` (conf.d/api.conf) to `upstream shop` in conf.d/upstream.conf. The
  -- first answer comes once the model's build includes this buffer: asked again until then (or 15 s).
  vim.cmd('edit ' .. workspace .. '/conf.d/api.conf')
  local api = vim.api.nvim_get_current_buf()
  vim.lsp.buf_attach_client(api, client_id)
  local pass_line, pass_col = 0, 0
  for i, l in ipairs(vim.api.nvim_buf_get_lines(api, 0, -1, false)) do
    local c = l:find('http://shop', 1, true)
    if c then pass_line, pass_col = i - 1, c - 1 + #'http://' + 1 end
  end
  local upstream_target
  vim.wait(15000, function()
    local replies = vim.lsp.buf_request_sync(api, 'textDocument/definition', {
      textDocument = { uri = vim.uri_from_bufnr(api) },
      position = { line = pass_line, character = pass_col },
    }, 2000)
    for _, r in pairs(replies or {}) do
      local first = r.result and r.result[1]
      if first then
        upstream_target = { uri = first.targetUri or first.uri, range = first.targetSelectionRange or first.range }
      end
    end
    return upstream_target ~= nil
  end, 100)
  local upstream_file = workspace .. '/conf.d/upstream.conf'
  ok(upstream_target ~= nil and upstream_target.uri == vim.uri_from_fname(upstream_file)
    and upstream_target.range.start.line == 0 and upstream_target.range.start.character == #'upstream ',
    'definition from proxy_pass http://shop leads to upstream shop in conf.d/upstream.conf', vim.inspect(upstream_target))

  -- Find All References on the upstream name in the pass: its block in upstream.conf and the pass itself.
  local refs = {}
  local replies = vim.lsp.buf_request_sync(api, 'textDocument/references', {
    textDocument = { uri = vim.uri_from_bufnr(api) },
    position = { line = pass_line, character = pass_col },
    context = { includeDeclaration = true },
  }, 5000)
  for _, r in pairs(replies or {}) do
    for _, l in ipairs(r.result or {}) do refs[#refs + 1] = vim.fn.fnamemodify(vim.uri_to_fname(l.uri), ':t') end
  end
  table.sort(refs)
  ok(table.concat(refs, '|') == 'api.conf|upstream.conf', 'references of upstream shop: the pass and the block',
    table.concat(refs, '|'))

  -- Rename (F2) of the upstream: prepareRename gives its span, the edit touches both files (not applied).
  replies = vim.lsp.buf_request_sync(api, 'textDocument/prepareRename', {
    textDocument = { uri = vim.uri_from_bufnr(api) },
    position = { line = pass_line, character = pass_col },
  }, 5000)
  local prepared
  for _, r in pairs(replies or {}) do
    if r.result then prepared = r.result.range or r.result end
  end
  ok(prepared ~= nil and prepared.start ~= nil and prepared['end'].character - prepared.start.character == #'shop',
    'prepareRename on the upstream name gives its span', vim.inspect(prepared))
  replies = vim.lsp.buf_request_sync(api, 'textDocument/rename', {
    textDocument = { uri = vim.uri_from_bufnr(api) },
    position = { line = pass_line, character = pass_col },
    newName = 'shop_backend',
  }, 5000)
  local renamed = {}
  for _, r in pairs(replies or {}) do
    local edit = r.result or {}
    for changed_uri, edits in pairs(edit.changes or {}) do
      for _, e in ipairs(edits) do
        renamed[#renamed + 1] = vim.fn.fnamemodify(vim.uri_to_fname(changed_uri), ':t') .. ':' .. e.newText
      end
    end
    for _, change in ipairs(edit.documentChanges or {}) do
      for _, e in ipairs(change.edits or {}) do
        renamed[#renamed + 1] = vim.fn.fnamemodify(vim.uri_to_fname(change.textDocument.uri), ':t') .. ':' .. e.newText
      end
    end
  end
  table.sort(renamed)
  ok(table.concat(renamed, '|') == 'api.conf:shop_backend|upstream.conf:shop_backend',
    'rename of the upstream edits the pass and the block', table.concat(renamed, '|'))

  -- Format Document on the nginx site with 2-space indentation: the edits, applied, re-indent the blocks.
  replies = vim.lsp.buf_request_sync(site, 'textDocument/formatting', {
    textDocument = { uri = vim.uri_from_bufnr(site) },
    options = { tabSize = 2, insertSpaces = true },
  }, 5000)
  for _, r in pairs(replies or {}) do
    if r.result then vim.lsp.util.apply_text_edits(r.result, site, 'utf-16') end
  end
  local formatted = vim.api.nvim_buf_get_lines(site, 0, -1, false)
  ok(formatted[2] == '  listen 80;' and formatted[4] == '    proxy_pass http://127.0.0.1:8000;',
    'formatting indents the nginx site by block depth', table.concat(formatted, '\\n'))

  -- Fix all (source.fixAll.gunicornConfig): the misspelt `worker` has one safe fix, `workers`.
  replies = vim.lsp.buf_request_sync(bufnr, 'textDocument/codeAction', {
    textDocument = { uri = uri },
    range = { start = { line = 0, character = 0 }, ['end'] = { line = 0, character = 0 } },
    context = { diagnostics = {}, only = { 'source.fixAll.gunicornConfig' } },
  }, 5000)
  local fixed
  for _, r in pairs(replies or {}) do
    for _, action in ipairs(r.result or {}) do
      if action.kind == 'source.fixAll.gunicornConfig' and action.edit then
        local edits = (action.edit.changes or {})[uri]
        if not edits and action.edit.documentChanges then edits = action.edit.documentChanges[1].edits end
        if edits then
          vim.lsp.util.apply_text_edits(edits, bufnr, 'utf-16')
          fixed = vim.api.nvim_buf_get_lines(bufnr, 0, 1, false)[1]
        end
      end
    end
  end
  ok(fixed == 'workers = 4', 'fix-all renames worker to workers', tostring(fixed))

  -- Inlay hints: `timeout = 30` in the config, while the Procfile's launch says --timeout 60.
  local hints
  vim.wait(15000, function()
    hints = {}
    local answers = vim.lsp.buf_request_sync(bufnr, 'textDocument/inlayHint', {
      textDocument = { uri = uri },
      range = { start = { line = 0, character = 0 }, ['end'] = { line = 3, character = 0 } },
    }, 2000)
    for _, r in pairs(answers or {}) do
      for _, h in ipairs(r.result or {}) do
        local label = h.label
        if type(label) == 'table' then
          local parts = {}
          for _, part in ipairs(label) do parts[#parts + 1] = part.value end
          label = table.concat(parts)
        end
        hints[#hints + 1] = string.format('%d:%s', h.position.line, label)
      end
    end
    return #hints > 0
  end, 100)
  local joined = table.concat(hints or {}, '|')
  ok(joined:find('1:', 1, true) ~= nil and joined:find('60', 1, true) ~= nil and joined:find('Procfile', 1, true) ~= nil,
    'an inlay hint shows the Procfile\'s timeout next to timeout = 30', joined)

  vim.lsp.stop_client(client_id)
  vim.wait(3000, function() return vim.lsp.get_client_by_id(client_id) == nil end, 20)
end

local success, err = pcall(main)
if not success then ok(false, 'script error', tostring(err)) end
out(string.format('%d passed, %d failed', passed, failed))
if failed > 0 then vim.cmd('cquit 1') else vim.cmd('qall!') end
