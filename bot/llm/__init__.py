"""The one boundary between Step Up and a language model.

``client`` builds the OpenAI-compatible SDK client and decides which backend ``COACH`` selects;
``structured`` sends one structured call and turns every failure into ``LLMUnavailable``;
``fallback`` runs a model-backed step under a time budget and falls back to the offline one.
The coach, the win parser and the summary polisher only build prompts and check answers.
"""
