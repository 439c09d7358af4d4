"""Sentence classifiers: rules from the rubric (``rules.v1``) and a trained model (``tfidf-logreg.v1``)."""
