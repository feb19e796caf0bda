"""Assessments: scoring an organisation's answers (per-requirement status, maturity of
the management guideline's items, the ★ level attained, its gaps and a plan). Pure
functions over the model; the application layer loads and saves."""
