"""Developer tools that (re)generate the sample jurisdiction's committed data files.

Not installed with the product and never run by `dutygraph`: the demo and `dutygraph ingest sample` read
the committed files. Tests and benchmarks import the generators from a checkout.
"""
