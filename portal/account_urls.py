from django.contrib.auth import views as auth_views
from django.urls import path

from .forms import LoginForm
from . import two_factor_views
from .security import logout_everywhere

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(authentication_form=LoginForm, redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("logout-everywhere/", logout_everywhere, name="logout_everywhere"),
    path("2fa/", two_factor_views.enrol, name="two_factor_enrol"),
    path("2fa/verify/", two_factor_views.verify_code, name="two_factor_verify"),
    path("2fa/disable/", two_factor_views.disable, name="two_factor_disable"),
]
