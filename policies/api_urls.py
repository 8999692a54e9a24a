from django.urls import path

from . import api

urlpatterns = [
    path("policies", api.PoliciesView.as_view(), name="api-policies"),
    path("policies/current", api.CurrentView.as_view(), name="api-policy-current"),
    path("policies/<int:pk>", api.PolicyView.as_view(), name="api-policy"),
    path("policies/<int:pk>/publish", api.PublishView.as_view(), name="api-policy-publish"),
    path("policies/<int:pk>/evaluate", api.EvaluateView.as_view(), name="api-policy-evaluate"),
]
