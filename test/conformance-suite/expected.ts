// Which checks of the official suite agent-notes is EXPECTED to fail, and why. Everything failing
// that is not listed here fails `npm run conformance:official`. Entries name the failing check ids
// (the suite's `id`), not just the scenario, so the other checks of a scenario (for example the
// `wire-schema-valid` check every scenario carries) still have to pass. `checks: 'all'` excuses a
// whole scenario; it is used only for an extension agent-notes does not implement at all.
//
// The reasons fall into four groups:
//   FIXTURE   the scenario calls a tool (`test_*`, `json_schema_2020_12_tool`, ...) that only the
//             suite's own reference server has; agent-notes lists its notes tools instead, and
//             test-only tools do not belong in a notes server that ChatGPT and Claude connect to.
//   NO_CAP    the scenario exercises a capability agent-notes does not offer: it is a tools-only
//             server (no prompts, resources, logging or completions), so those methods answer
//             JSON-RPC -32601 "Method not found", which is what the spec asks of an undeclared one.
//   NO_HEADER the SEP-2243 custom-header checks need a tool with `x-mcp-header` annotations; the
//             suite reports them as failures ("Not testable") when the server has none.
//   TASKS     the io.modelcontextprotocol/tasks extension (SEP-2663) is optional and not built.
//
// When agent-notes gains one of these (or the suite changes), the run prints the entry as stale:
// delete it then. `legs` limits an entry to some legs; by default it applies wherever the scenario runs.

export type Leg = 'authorization' | 'server' | 'server@2026-07-28';

export interface ExpectedFailure {
  scenario: string;
  checks: readonly string[] | 'all';
  reason: string;
  legs?: readonly Leg[];
}

const FIXTURE = (tool: string) => `FIXTURE: needs the suite's reference-server tool ${tool}, which agent-notes does not have`;
const NO_CAP = (what: string) => `NO_CAP: agent-notes is a tools-only server; ${what} answers -32601 Method not found`;
const NO_HEADER = 'NO_HEADER: no tool with x-mcp-header annotations, so the suite cannot test custom-header validation';
const TASKS = 'TASKS: the optional tasks extension (SEP-2663) is not implemented';

export const EXPECTED_FAILURES: readonly ExpectedFailure[] = [
  // --- FIXTURE: tools of the suite's reference server -------------------------------------------
  { scenario: 'tools-call-simple-text', checks: ['tools-call-simple-text'], reason: FIXTURE('test_simple_text') },
  { scenario: 'tools-call-image', checks: ['tools-call-image'], reason: FIXTURE('test_image_content') },
  { scenario: 'tools-call-audio', checks: ['tools-call-audio'], reason: FIXTURE('test_audio_content') },
  { scenario: 'tools-call-embedded-resource', checks: ['tools-call-embedded-resource'], reason: FIXTURE('test_embedded_resource') },
  { scenario: 'tools-call-mixed-content', checks: ['tools-call-mixed-content'], reason: FIXTURE('test_multiple_content_types') },
  { scenario: 'tools-call-error', checks: ['tools-call-error'], reason: FIXTURE('test_error_handling') },
  { scenario: 'tools-call-with-progress', checks: ['tools-call-with-progress'], reason: FIXTURE('test_tool_with_progress') },
  { scenario: 'tools-call-sampling', checks: ['tools-call-sampling'], reason: FIXTURE('test_sampling') },
  { scenario: 'tools-call-elicitation', checks: ['tools-call-elicitation'], reason: FIXTURE('test_elicitation') },
  { scenario: 'elicitation-sep1034-defaults', checks: ['elicitation-sep1034-general'], reason: FIXTURE('test_elicitation_sep1034_defaults') },
  { scenario: 'elicitation-sep1330-enums', checks: ['elicitation-sep1330-general'], reason: FIXTURE('test_elicitation_sep1330_enums') },
  { scenario: 'json-schema-2020-12', checks: ['json-schema-2020-12-tool-found'], reason: FIXTURE('json_schema_2020_12_tool') },
  { scenario: 'input-required-result-basic-elicitation', checks: ['sep-2322-elicitation-incomplete'], reason: FIXTURE('test_input_required_result_elicitation') },
  { scenario: 'input-required-result-basic-sampling', checks: ['sep-2322-sampling-incomplete'], reason: FIXTURE('test_input_required_result_sampling') },
  { scenario: 'input-required-result-basic-list-roots', checks: ['sep-2322-list-roots-incomplete'], reason: FIXTURE('test_input_required_result_list_roots') },
  { scenario: 'input-required-result-request-state', checks: ['sep-2322-request-state-incomplete'], reason: FIXTURE('test_input_required_result_request_state') },
  { scenario: 'input-required-result-multiple-input-requests', checks: ['sep-2322-multiple-inputs-incomplete'], reason: FIXTURE('test_input_required_result_multiple_inputs') },
  { scenario: 'input-required-result-multi-round', checks: ['sep-2322-multi-round-r1'], reason: FIXTURE('test_input_required_result_multi_round') },
  { scenario: 'input-required-result-result-type', checks: ['sep-2322-result-type-included'], reason: FIXTURE('test_input_required_result_elicitation') },
  { scenario: 'input-required-result-tampered-state', checks: ['sep-2322-reject-tampered-state'], reason: FIXTURE('test_input_required_result_tampered_state') },
  { scenario: 'input-required-result-capability-check', checks: ['sep-2322-respect-client-capabilities'], reason: FIXTURE('test_input_required_result_capabilities') },
  // server-stateless: 24 checks pass; these four need its diagnostic tools.
  {
    scenario: 'server-stateless',
    checks: ['sep-2575-server-rejects-undeclared-capability', 'sep-2575-missing-capability-http-400', 'sep-2575-http-server-no-independent-requests-on-stream', 'sep-2575-server-no-log-without-loglevel'],
    reason: FIXTURE('test_missing_capability / test_streaming_elicitation / test_logging_tool'),
  },

  // --- NO_CAP: prompts, resources, logging, completions ------------------------------------------
  { scenario: 'logging-set-level', checks: ['logging-set-level'], reason: NO_CAP('logging/setLevel') },
  { scenario: 'tools-call-with-logging', checks: ['tools-call-with-logging'], reason: NO_CAP('logging/setLevel') },
  { scenario: 'completion-complete', checks: ['completion-complete'], reason: NO_CAP('completion/complete') },
  { scenario: 'resources-list', checks: ['resources-list'], reason: NO_CAP('resources/list') },
  { scenario: 'resources-read-text', checks: ['resources-read-text'], reason: NO_CAP('resources/read') },
  { scenario: 'resources-read-binary', checks: ['resources-read-binary'], reason: NO_CAP('resources/read') },
  { scenario: 'resources-templates-read', checks: ['resources-templates-read'], reason: NO_CAP('resources/templates/list') },
  { scenario: 'resources-subscribe', checks: ['resources-subscribe'], reason: NO_CAP('resources/subscribe') },
  { scenario: 'resources-unsubscribe', checks: ['resources-unsubscribe'], reason: NO_CAP('resources/unsubscribe') },
  { scenario: 'prompts-list', checks: ['prompts-list'], reason: NO_CAP('prompts/list') },
  { scenario: 'prompts-get-simple', checks: ['prompts-get-simple'], reason: NO_CAP('prompts/get') },
  { scenario: 'prompts-get-with-args', checks: ['prompts-get-with-args'], reason: NO_CAP('prompts/get') },
  { scenario: 'prompts-get-embedded-resource', checks: ['prompts-get-embedded-resource'], reason: NO_CAP('prompts/get') },
  { scenario: 'prompts-get-with-image', checks: ['prompts-get-with-image'], reason: NO_CAP('prompts/get') },
  { scenario: 'input-required-result-non-tool-request', checks: ['sep-2322-non-tool-incomplete'], reason: NO_CAP('prompts/get (of the fixture prompt test_input_required_result_prompt)') },
  // caching: the tools/list caching hints pass; the prompts and resources lists do not exist.
  {
    scenario: 'caching',
    checks: ['sep-2549-prompts-list-caching-hints', 'sep-2549-resources-list-caching-hints', 'sep-2549-resources-templates-list-caching-hints'],
    reason: NO_CAP('prompts/list, resources/list and resources/templates/list'),
  },

  // --- NO_HEADER ---------------------------------------------------------------------------------
  {
    scenario: 'http-custom-header-server-validation',
    checks: ['sep-2243-server-no-xmcp-tool', 'sep-2243-server-decode-base64', 'sep-2243-server-validate-param-match', 'sep-2243-server-reject-invalid-param-chars', 'sep-2243-server-reject-param-mismatch'],
    reason: NO_HEADER,
  },

  // --- TASKS: an optional extension, excused whole ----------------------------------------------
  { scenario: 'tasks-lifecycle', checks: 'all', reason: TASKS },
  { scenario: 'tasks-capability-negotiation', checks: 'all', reason: TASKS },
  { scenario: 'tasks-wire-fields', checks: 'all', reason: TASKS },
  { scenario: 'tasks-request-state-removal', checks: 'all', reason: TASKS },
  { scenario: 'tasks-mrtr-input', checks: 'all', reason: TASKS },
  { scenario: 'tasks-request-headers', checks: 'all', reason: TASKS },
  { scenario: 'tasks-dispatch-and-envelope', checks: 'all', reason: TASKS },
  { scenario: 'tasks-required-task-error', checks: 'all', reason: TASKS },
  { scenario: 'tasks-mrtr-composition', checks: 'all', reason: TASKS },
];

/** The entries that apply to `scenario` in `leg`. */
export function expectedFor(leg: Leg, scenario: string): ExpectedFailure[] {
  return EXPECTED_FAILURES.filter((e) => e.scenario === scenario && (e.legs === undefined || e.legs.includes(leg)));
}
