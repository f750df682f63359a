"""`python -m bench` (`make bench`): throughput and latency of the full product against bare Rasa on the same model.

One run drives the same simulated conversations (mixed languages, menu numbers, free-text questions, a red flag in
some, feedback in others) first through signed Twilio webhooks of `doula run`, then through bare Rasa's REST channel,
one after the other (never both at once: the machine has two cores), and prints throughput, p50/p95/p99 latency and
their ratio, then the per-message cost of doula's own layers measured in-process. See README, "Benchmark".

Modules: :mod:`.conversations` (the scripts), :mod:`.fake_twilio` (the Messages API, timing each reply),
:mod:`.targets` (starting the two servers), :mod:`.product_process` (`doula run` with a private `var/`), :mod:`.load`
(the closed-loop drivers), :mod:`.layers` (own layers in microseconds), :mod:`.report` (table and JSON).
"""
