"""Bulk assessment over any concurrent.futures.Executor (process pool, Dask)."""
