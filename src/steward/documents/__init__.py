"""CRA documents from evidence (Regulation (EU) 2024/2847).

- :mod:`~steward.documents.scope`: does the CRA apply, in which role, which category and
  conformity assessment procedure, and what follows (``steward cra scope``);
- :mod:`~steward.documents.inputs`: the evidence a document is built from (answers in
  steward.yml, assessments, SBOM, vulnerability findings, VEX, cases);
- builders, one per document: :mod:`~steward.documents.annex_ii` (user information),
  :mod:`~steward.documents.annex_vii` (technical documentation),
  :mod:`~steward.documents.declaration` (Annex V and VI), :mod:`~steward.documents.policy`
  (Art. 24 steward policy), :mod:`~steward.documents.attestation` (Art. 25, ORC
  template-lite JSON); :mod:`~steward.documents.kinds` names them;
- :mod:`~steward.documents.render`: Markdown and HTML (Jinja2 templates in ``templates/``)
  and PDF (WeasyPrint);
- :mod:`~steward.documents.pack`: the evidence pack (deterministic zip, SHA-256 manifest,
  SSH signature) and its verification;
- :mod:`~steward.documents.firstrun`: what ``steward init`` reads from a checkout.

Every item a document needs is either a fact with its source or listed as missing with the
command or answer that supplies it; nothing is filled with a default.
"""
