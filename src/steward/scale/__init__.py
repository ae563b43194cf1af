"""Bulk assessment over any ``concurrent.futures.Executor``: a local pool or a Dask cluster.

``steward assess-many`` is built from these modules, each with one job:

- :mod:`~steward.scale.targets`: targets and the list formats (text lists, organisation
  manifests in ``steward.yml`` ``projects:``);
- :mod:`~steward.scale.upstream`: an SBOM's components → their upstream repositories
  (component due diligence, CRA Art. 13(5)), from what the SBOM records or a mapping file;
- :mod:`~steward.scale.engine`: ``run_many(targets, executor, ...)``, the driver;
- :mod:`~steward.scale.task` and :mod:`~steward.scale.child`: one repository's work, run by
  the executor, each assessment in a supervised process of its own (timeout, disk, memory);
- :mod:`~steward.scale.checkout`: git on untrusted repositories (treeless partial clones,
  revision look-ups without cloning);
- :mod:`~steward.scale.cache`: the incremental cache, keyed by (repository, snapshot,
  catalog version, Steward version, options);
- :mod:`~steward.scale.sinks`: JSON Lines out, with the resumable journal;
- :mod:`~steward.scale.executors`: the local pool and the Dask executor;
- :mod:`~steward.scale.summary`: level progress per project and the portfolio's worst gaps.
"""
